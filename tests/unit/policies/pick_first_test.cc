// Classic pick_first (one subchannel for the whole list, pre-A62: no sticky TRANSIENT_FAILURE), as
// grpc-go's balancer/pickfirst (pickfirst.go) and gRPC's doc/load-balancing.md describe it.
#include "tests/unit/policies/policy_world.h"

using namespace netsim;
using namespace netsim::literals;
using policies::ConnectivityState;
using policies::RpcStatus;
using testing::addr;

namespace {

using Strings = std::vector<std::string>;

using Fixture = testing::ThreeBackends;

}  // namespace

TEST_CASE("pick_first: first address refused, second READY: one subchannel goes CONNECTING, READY "
          "(docs/policies.md: classic has one subchannel for the whole list)",
          "[policies][pick_first]") {
    Fixture f;
    f.server(f.b, "b", addr("10.0.0.3"));
    policies::Channel& ch = f.channel("pick_first", {addr("10.0.0.2"), addr("10.0.0.3")});
    f.run_until(100_ms);
    REQUIRE(f.channel_states() == Strings{"IDLE->CONNECTING", "CONNECTING->READY"});
    REQUIRE(f.subchannel_states(1) == Strings{"CONNECTING", "READY"});
    REQUIRE(f.records("subchannel.create").size() == 1);
    REQUIRE(f.connects() == std::vector<std::pair<Duration, std::string>>{{0_ms, "10.0.0.2:50051"}, {2_ms, "10.0.0.3:50051"}});
    REQUIRE(ch.state() == ConnectivityState::ready);
}

TEST_CASE("pick_first: a lost READY connection makes the channel IDLE; the next RPC reconnects from the first address "
          "with a fresh subchannel (grpc-go pickfirst, doc/load-balancing.md)",
          "[policies][pick_first]") {
    Fixture f;
    app::Server& sb = f.server(f.b, "b", addr("10.0.0.3"));
    policies::Channel& ch = f.channel("pick_first", {addr("10.0.0.2"), addr("10.0.0.3")});
    f.run_until(100_ms);
    app::Server& sa = f.server(f.a, "a", addr("10.0.0.2"));  // the first address comes up later
    f.run_until(200_ms);
    sb.stop();
    f.run_until(1_s);
    REQUIRE(f.channel_states() == Strings{"IDLE->CONNECTING", "CONNECTING->READY", "READY->IDLE"});
    REQUIRE(f.subchannel_states(1) == Strings{"CONNECTING", "READY", "IDLE", "SHUTDOWN"});
    REQUIRE(f.connects().size() == 2);             // IDLE waits: no attempt without an RPC
    REQUIRE(f.records("resolver.reresolve").size() == 1);
    testing::RpcLog log;
    const std::uint32_t id = log.start(ch);
    f.run_until(2_s);
    REQUIRE(f.connects().back() == std::pair<Duration, std::string>{1_s, "10.0.0.2:50051"});
    REQUIRE(log.of(id).status == RpcStatus::ok);
    REQUIRE(log.of(id).served_by == sa.id());
    REQUIRE(log.of(id).address == addr("10.0.0.2"));
    REQUIRE(f.subchannel_states(2) == Strings{"CONNECTING", "READY"});
    testing::require_every_rpc_ended(ch, log);
}

TEST_CASE("pick_first: every address refused gives TRANSIENT_FAILURE; fail-fast RPCs fail UNAVAILABLE, wait-for-ready "
          "RPCs complete once a backend starts (connectivity-semantics-and-api.md)",
          "[policies][pick_first]") {
    Fixture f;
    policies::Channel& ch = f.channel("pick_first", {addr("10.0.0.2"), addr("10.0.0.3")});
    f.run_until(100_ms);
    REQUIRE(ch.state() == ConnectivityState::transient_failure);
    testing::RpcLog log;
    const std::uint32_t fail_fast = log.start(ch);
    const std::uint32_t waiting = log.start(ch, {.wait_for_ready = true});
    REQUIRE(log.of(fail_fast).status == RpcStatus::unavailable);
    REQUIRE_FALSE(log.done(waiting));
    f.run_until(1500_ms);
    app::Server& sb = f.server(f.b, "b", addr("10.0.0.3"));
    f.run_until(5_s);
    REQUIRE(log.of(waiting).status == RpcStatus::ok);
    REQUIRE(log.of(waiting).served_by == sb.id());
    testing::require_every_rpc_ended(ch, log);
}

TEST_CASE("pick_first (classic, pre-A62) is not sticky: TRANSIENT_FAILURE goes CONNECTING on each retry after backoff",
          "[policies][pick_first]") {
    Fixture f;
    f.channel("pick_first", {addr("10.0.0.2"), addr("10.0.0.3")});
    f.run_until(1500_ms);
    REQUIRE(f.channel_states() ==
            Strings{"IDLE->CONNECTING", "CONNECTING->TRANSIENT_FAILURE", "TRANSIENT_FAILURE->CONNECTING",
                    "CONNECTING->TRANSIENT_FAILURE"});
    REQUIRE(f.channel_entered("CONNECTING", Instant::at(1_ms)) == Instant::at(1_s));  // INITIAL_BACKOFF
    REQUIRE(f.subchannel_states(1) == Strings{"CONNECTING", "TRANSIENT_FAILURE", "IDLE", "CONNECTING", "TRANSIENT_FAILURE"});
}

TEST_CASE("pick_first: an update that still lists the connected address keeps the connection; one that drops it goes "
          "CONNECTING then READY, never IDLE or TF (grpc-go addrConn.updateAddrs)",
          "[policies][pick_first]") {
    Fixture f;
    f.server(f.b, "b", addr("10.0.0.3"));
    app::Server& sc = f.server(f.c, "c", addr("10.0.0.4"));
    policies::Channel& ch = f.channel("pick_first", {addr("10.0.0.2"), addr("10.0.0.3")});
    f.run_until(100_ms);
    ch.resolver().update({addr("10.0.0.4"), addr("10.0.0.2"), addr("10.0.0.3")});
    f.run_until(200_ms);
    REQUIRE(f.channel_states() == Strings{"IDLE->CONNECTING", "CONNECTING->READY"});
    REQUIRE(f.connects().size() == 2);
    ch.resolver().update({addr("10.0.0.4")});
    f.run_until(300_ms);
    REQUIRE(f.channel_states() ==
            Strings{"IDLE->CONNECTING", "CONNECTING->READY", "READY->CONNECTING", "CONNECTING->READY"});
    testing::RpcLog log;
    const std::uint32_t id = log.start(ch);
    f.run_until(400_ms);
    REQUIRE(log.of(id).served_by == sc.id());
    testing::require_every_rpc_ended(ch, log);
}
