// pick_first_leaf: one subchannel per address, Happy Eyeballs and family interleaving (gRFC A61,
// RFC 8305 section 4), sticky TRANSIENT_FAILURE and address shuffling (gRFC A62), resolver
// updates, as grpc-go balancer/pickfirst/pickfirstleaf (pickfirstleaf.go and
// pickfirstleaf_ext_test.go) implement them.
#include "tests/unit/policies/policy_world.h"

#include <set>

using namespace netsim;
using namespace netsim::literals;
using policies::ConnectivityState;
using policies::RpcStatus;
using testing::addr;

namespace {

using Strings = std::vector<std::string>;
using Connects = std::vector<std::pair<Duration, std::string>>;

using Fixture = testing::ThreeBackends;

}  // namespace

TEST_CASE("pick_first_leaf: first address refused, second READY: the first leaf goes CONNECTING, TF, the second "
          "CONNECTING, READY (docs/policies.md; A61: one subchannel per address)",
          "[policies][pick_first_leaf]") {
    Fixture f;
    f.server(f.b, "b", addr("10.0.0.3"));
    f.channel("pick_first_leaf", {addr("10.0.0.2"), addr("10.0.0.3")});
    f.run_until(100_ms);
    REQUIRE(f.channel_states() == Strings{"IDLE->CONNECTING", "CONNECTING->READY"});
    REQUIRE(f.subchannel_states(1) == Strings{"CONNECTING", "TRANSIENT_FAILURE", "SHUTDOWN"});
    REQUIRE(f.subchannel_states(2) == Strings{"CONNECTING", "READY"});
}

TEST_CASE("pick_first_leaf Happy Eyeballs: the next address starts 250 ms after an attempt that neither succeeds nor "
          "fails, and the first READY wins (A61; pickfirstleaf_ext_test HappyEyeballs)",
          "[policies][pick_first_leaf]") {
    Fixture f;
    f.server(f.a, "a", addr("10.0.0.2"));
    f.server(f.b, "b", addr("10.0.0.3"));
    f.world.network().partition(f.client_host, f.a);  // a's SYNs are dropped: its attempt hangs
    policies::Channel& ch = f.channel("pick_first_leaf", {addr("10.0.0.2"), addr("10.0.0.3")});
    f.run_until(1_s);
    REQUIRE(f.connects() == Connects{{0_ms, "10.0.0.2:50051"}, {250_ms, "10.0.0.3:50051"}});
    REQUIRE(f.channel_entered("READY") == Instant::at(254_ms));
    REQUIRE(f.subchannel_states(1) == Strings{"CONNECTING", "SHUTDOWN"});  // dropped once b is READY
    REQUIRE(ch.subchannels().size() == 1);
    // The delay is an option.
    Fixture g;
    g.world.network().partition(g.client_host, g.a);
    g.server(g.b, "b", addr("10.0.0.3"));
    g.channel("pick_first_leaf", {addr("10.0.0.2"), addr("10.0.0.3")}, {{"connection_attempt_delay", "100ms"}});
    g.run_until(1_s);
    REQUIRE(g.connects() == Connects{{0_ms, "10.0.0.2:50051"}, {100_ms, "10.0.0.3:50051"}});
}

TEST_CASE("pick_first_leaf interleaves families: the first family in the list first, then alternating (A61, RFC 8305 "
          "section 4, grpc-go interleaveAddresses)",
          "[policies][pick_first_leaf]") {
    // Addresses no host owns: every SYN is lost, so each attempt hangs and the timer paces them.
    Fixture f;
    f.channel("pick_first_leaf", {addr("fd00::10"), addr("fd00::11"), addr("10.9.0.1"), addr("10.9.0.2"), addr("fd00::12")});
    f.run_until(2_s);
    REQUIRE(f.connects() == Connects{{0_ms, "[fd00::10]:50051"},
                                     {250_ms, "10.9.0.1:50051"},
                                     {500_ms, "[fd00::11]:50051"},
                                     {750_ms, "10.9.0.2:50051"},
                                     {1000_ms, "[fd00::12]:50051"}});
    Fixture g;
    g.channel("pick_first_leaf", {addr("10.9.0.1"), addr("10.9.0.2"), addr("fd00::10")});
    g.run_until(2_s);
    REQUIRE(g.connects() == Connects{{0_ms, "10.9.0.1:50051"}, {250_ms, "[fd00::10]:50051"}, {500_ms, "10.9.0.2:50051"}});
}

TEST_CASE("pick_first_leaf TRANSIENT_FAILURE is sticky: it stays TF while subchannels retry (CONNECTING again) and "
          "leaves only for READY (A62)",
          "[policies][pick_first_leaf]") {
    Fixture f;
    policies::Channel& ch = f.channel("pick_first_leaf", {addr("10.0.0.2"), addr("10.0.0.3")});
    testing::RpcLog log;
    f.run_until(100_ms);
    REQUIRE(f.channel_states() == Strings{"IDLE->CONNECTING", "CONNECTING->TRANSIENT_FAILURE"});
    const std::uint32_t waiting = log.start(ch, {.wait_for_ready = true});
    f.run_until(1500_ms);
    // Both subchannels went back to CONNECTING after their first backoff (1 s); the channel did not.
    REQUIRE(f.subchannel_states(1) == Strings{"CONNECTING", "TRANSIENT_FAILURE", "IDLE", "CONNECTING", "TRANSIENT_FAILURE"});
    REQUIRE(f.subchannel_states(2) == Strings{"CONNECTING", "TRANSIENT_FAILURE", "IDLE", "CONNECTING", "TRANSIENT_FAILURE"});
    REQUIRE(f.channel_states() == Strings{"IDLE->CONNECTING", "CONNECTING->TRANSIENT_FAILURE"});
    app::Server& sb = f.server(f.b, "b", addr("10.0.0.3"));
    f.run_until(5_s);
    REQUIRE(f.channel_states() == Strings{"IDLE->CONNECTING", "CONNECTING->TRANSIENT_FAILURE", "TRANSIENT_FAILURE->READY"});
    REQUIRE(log.of(waiting).served_by == sb.id());
    testing::require_every_rpc_ended(ch, log);
}

TEST_CASE("pick_first_leaf: an update listing the connected address anywhere keeps it; one dropping it goes CONNECTING "
          "then READY, never IDLE or TF (pickfirstleaf UpdateClientConnState)",
          "[policies][pick_first_leaf]") {
    Fixture f;
    f.server(f.b, "b", addr("10.0.0.3"));
    app::Server& sc = f.server(f.c, "c", addr("10.0.0.4"));
    policies::Channel& ch = f.channel("pick_first_leaf", {addr("10.0.0.2"), addr("10.0.0.3")});
    f.run_until(100_ms);
    ch.resolver().update({addr("10.0.0.4"), addr("10.0.0.3"), addr("10.0.0.2")});
    f.run_until(200_ms);
    REQUIRE(f.channel_states() == Strings{"IDLE->CONNECTING", "CONNECTING->READY"});
    REQUIRE(f.connects().size() == 2);  // no new connection
    ch.resolver().update({addr("10.0.0.4")});
    f.run_until(300_ms);
    REQUIRE(f.channel_states() ==
            Strings{"IDLE->CONNECTING", "CONNECTING->READY", "READY->CONNECTING", "CONNECTING->READY"});
    REQUIRE(f.subchannel_states(2) == Strings{"CONNECTING", "READY", "SHUTDOWN"});
    testing::RpcLog log;
    const std::uint32_t id = log.start(ch);
    f.run_until(400_ms);
    REQUIRE(log.of(id).served_by == sc.id());
    testing::require_every_rpc_ended(ch, log);
}

TEST_CASE("pick_first_leaf: TRANSIENT_FAILURE from an empty address list is left at once by the next non-empty update "
          "(pickfirstleaf: sticky TF is for connection failures only)",
          "[policies][pick_first_leaf]") {
    Fixture f;
    f.server(f.b, "b", addr("10.0.0.3"));
    policies::Channel& ch = f.channel("pick_first_leaf", {addr("10.0.0.3")});
    f.run_until(100_ms);
    ch.resolver().update({});
    REQUIRE(ch.state() == ConnectivityState::transient_failure);
    REQUIRE(ch.subchannels().empty());
    f.run_until(1_s);
    ch.resolver().update({addr("10.0.0.3")});
    REQUIRE(ch.state() == ConnectivityState::connecting);  // at once, in the same event
    f.run_until(2_s);
    REQUIRE(f.channel_states() == Strings{"IDLE->CONNECTING", "CONNECTING->READY", "READY->TRANSIENT_FAILURE",
                                          "TRANSIENT_FAILURE->CONNECTING", "CONNECTING->READY"});
    REQUIRE(f.channel_entered("CONNECTING", Instant::at(100_ms)) == Instant::at(1_s));
}

TEST_CASE("pick_first_leaf: a lost READY subchannel makes the channel IDLE and asks for re-resolution; the next RPC "
          "starts from the first address (pickfirstleaf updateSubConnState)",
          "[policies][pick_first_leaf]") {
    Fixture f;
    app::Server& sb = f.server(f.b, "b", addr("10.0.0.3"));
    policies::Channel& ch = f.channel("pick_first_leaf", {addr("10.0.0.2"), addr("10.0.0.3")});
    f.run_until(100_ms);
    app::Server& sa = f.server(f.a, "a", addr("10.0.0.2"));
    sb.crash();
    f.run_until(1_s);
    REQUIRE(f.channel_states() == Strings{"IDLE->CONNECTING", "CONNECTING->READY", "READY->IDLE"});
    REQUIRE(f.records("resolver.reresolve").size() == 1);
    REQUIRE(f.records("resolver.update").size() == 2);  // the static resolver re-published
    testing::RpcLog log;
    const std::uint32_t id = log.start(ch);
    f.run_until(2_s);
    REQUIRE(log.of(id).served_by == sa.id());
    REQUIRE(f.connects().back().second == "10.0.0.2:50051");
    testing::require_every_rpc_ended(ch, log);
}

TEST_CASE("pick_first_leaf shuffle_address_list: the order is a function of the seed (A62, stream lb/<channel>)",
          "[policies][pick_first_leaf]") {
    const std::vector<net::SocketAddress> list{addr("10.9.0.1"), addr("10.9.0.2"), addr("10.9.0.3"), addr("10.9.0.4"),
                                               addr("10.9.0.5")};
    auto order = [&](std::uint64_t seed, const char* shuffle) {
        Fixture f(seed);
        f.channel("pick_first_leaf", list, {{"shuffle_address_list", shuffle}});
        return testing::PolicyWorld::field(*f.records("lb.address_list").front(), "order");
    };
    std::set<std::string> orders;
    for (std::uint64_t seed = 0; seed < 20; ++seed) {
        REQUIRE(order(seed, "true") == order(seed, "true"));
        orders.insert(order(seed, "true"));
        REQUIRE(order(seed, "false") == policies::format_address_list(list));
    }
    REQUIRE(orders.size() > 10);
}
