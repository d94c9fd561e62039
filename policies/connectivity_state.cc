// Names of the connectivity states.
#include "policies/connectivity_state.h"

#include <array>

namespace netsim::policies {

namespace {
constexpr std::array<ConnectivityState, 5> all_states{
    ConnectivityState::idle, ConnectivityState::connecting, ConnectivityState::ready,
    ConnectivityState::transient_failure, ConnectivityState::shutdown};
}  // namespace

std::string_view state_name(ConnectivityState state) {
    switch (state) {
        case ConnectivityState::idle: return "IDLE";
        case ConnectivityState::connecting: return "CONNECTING";
        case ConnectivityState::ready: return "READY";
        case ConnectivityState::transient_failure: return "TRANSIENT_FAILURE";
        case ConnectivityState::shutdown: return "SHUTDOWN";
    }
    return "?";
}

std::optional<ConnectivityState> parse_state(std::string_view name) {
    for (ConnectivityState s : all_states)
        if (state_name(s) == name) return s;
    return std::nullopt;
}

}  // namespace netsim::policies
