// Connectivity state names (gRPC doc/connectivity-semantics-and-api.md).
#include "policies/connectivity_state.h"

#include "tests/support/catch.h"

using netsim::policies::ConnectivityState;
using netsim::policies::parse_state;
using netsim::policies::state_name;

TEST_CASE("the five connectivity states have gRPC's names and parse back", "[policies][state]") {
    const std::vector<std::pair<ConnectivityState, std::string_view>> names{
        {ConnectivityState::idle, "IDLE"},
        {ConnectivityState::connecting, "CONNECTING"},
        {ConnectivityState::ready, "READY"},
        {ConnectivityState::transient_failure, "TRANSIENT_FAILURE"},
        {ConnectivityState::shutdown, "SHUTDOWN"},
    };
    for (const auto& [state, name] : names) {
        REQUIRE(state_name(state) == name);
        REQUIRE(parse_state(name) == state);
        REQUIRE(fmt::format("{}", state) == name);
    }
    REQUIRE_FALSE(parse_state("ready").has_value());
    REQUIRE_FALSE(parse_state("TF").has_value());
}
