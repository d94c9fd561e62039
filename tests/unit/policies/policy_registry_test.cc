// The policy registry: built-ins by name, configuration errors as values naming the entry at
// fault (for the scenario parser's file:line:col), and a user policy added in one place.
#include "policies/policy_registry.h"

#include "tests/unit/policies/policy_world.h"

using namespace netsim;
using namespace netsim::literals;
using namespace netsim::policies;

namespace {

PolicyConfigError error_of(const PolicyLookup& lookup) {
    REQUIRE(std::holds_alternative<PolicyConfigError>(lookup));
    return std::get<PolicyConfigError>(lookup);
}

// A user's policy: never connects, fails every RPC.
class RefuseAll final : public LbPolicy {
public:
    explicit RefuseAll(ChannelControl& c) : control_(c) {}
    std::string_view name() const override { return "refuse_all"; }
    void on_addresses(const std::vector<net::SocketAddress>&) override {
        control_.update_state(ConnectivityState::transient_failure, std::make_unique<FailPicker>("refused by policy"));
    }
    void on_resolver_error(const std::string&) override {}
    void exit_idle() override {}
    void on_subchannel_state(Subchannel&, ConnectivityState, ConnectivityState) override {}

private:
    ChannelControl& control_;
};

}  // namespace

TEST_CASE("the built-in registry holds every built-in policy", "[policies][registry]") {
    const PolicyRegistry& r = PolicyRegistry::builtin();
    REQUIRE(r.names() == std::vector<std::string>{"least_request", "pick_first", "pick_first_leaf", "ring_hash", "round_robin", "weighted_round_robin"});
    REQUIRE(std::holds_alternative<PolicyMaker>(r.lookup("pick_first", {})));
    REQUIRE(std::holds_alternative<PolicyMaker>(
        r.lookup("pick_first_leaf", {{"shuffle_address_list", "true"}, {"connection_attempt_delay", "100ms"}})));
    REQUIRE(&PolicyRegistry::builtin() == &r);
}

TEST_CASE("an unknown policy, an unknown option and a bad value are errors that name the entry", "[policies][registry]") {
    const PolicyRegistry& r = PolicyRegistry::builtin();
    const PolicyConfigError unknown = error_of(r.lookup("no_such_policy", {}));
    REQUIRE_FALSE(unknown.entry.has_value());
    REQUIRE(unknown.message == "unknown policy 'no_such_policy' (known: least_request, pick_first, pick_first_leaf, ring_hash, round_robin, weighted_round_robin)");

    const PolicyConfigError key = error_of(r.lookup("pick_first", {{"shuffle_address_list", "false"}, {"shuffle", "true"}}));
    REQUIRE(key.entry == 1u);
    REQUIRE(key.message == "pick_first has no option 'shuffle' (options: shuffle_address_list)");

    const PolicyConfigError value = error_of(r.lookup("pick_first_leaf", {{"connection_attempt_delay", "soon"}}));
    REQUIRE(value.entry == 0u);
    REQUIRE(value.message == "connection_attempt_delay: expected a positive duration such as 250ms, got 'soon'");

    REQUIRE(error_of(r.lookup("pick_first", {{"shuffle_address_list", "yes"}})).message ==
            "shuffle_address_list: expected true or false, got 'yes'");
}

TEST_CASE("a user policy registered by name runs in a channel like a built-in", "[policies][registry]") {
    PolicyRegistry registry = PolicyRegistry::builtin();
    registry.add("refuse_all", [](const PolicyConfig&) -> PolicyLookup {
        return PolicyMaker([](ChannelControl& c) -> std::unique_ptr<LbPolicy> { return std::make_unique<RefuseAll>(c); });
    });
    REQUIRE(registry.contains("refuse_all"));
    testing::PolicyWorld w;
    ChannelConfig config;
    config.policy = "refuse_all";
    config.registry = &registry;
    config.addresses = {testing::addr("10.0.0.2")};
    Channel& channel = w.world.spawn<Channel>(w.client_host, "client", config);
    testing::RpcLog log;
    const std::uint32_t id = log.start(channel);
    REQUIRE(log.of(id).status == RpcStatus::unavailable);
    REQUIRE(channel.state() == ConnectivityState::transient_failure);
    testing::require_every_rpc_ended(channel, log);
}
