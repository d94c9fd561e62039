// One behaviour suite run over every registered policy (as ns-3 runs one scheduler suite over
// every implementation): what gRPC's channel promises whatever the policy (gRPC
// doc/connectivity-semantics-and-api.md, doc/wait-for-ready.md; grpc-go test/roundrobin_test.go and
// test/pickfirst_test.go). Where a behaviour genuinely differs for the pick_first variants, the test
// says so and checks each side as it is, rather than the weaker common part.
#include "tests/unit/policies/policy_world.h"

#include <set>

using namespace netsim;
using namespace netsim::literals;
using policies::ConnectivityState;
using policies::RpcStatus;
using testing::addr;

namespace {

using Strings = std::vector<std::string>;
using Fixture = testing::ThreeBackends;

// Every policy in the built-in registry, one section each.
std::string every_policy() {
    return GENERATE(Catch::Generators::from_range(policies::PolicyRegistry::builtin().names()));
}

// The policies that leave a lost connection IDLE until a pick needs it (pick_first, A62; ring_hash,
// A42 "treat it as if it has transitioned to IDLE"); the others reconnect by themselves.
bool reconnects_on_demand(const std::string& policy) {
    return policy == "pick_first" || policy == "pick_first_leaf" || policy == "ring_hash";
}

}  // namespace

TEST_CASE("every policy: RPCs started before the first READY queue, then complete on it (connectivity-semantics: "
          "CONNECTING does not fail RPCs)",
          "[policies][suite]") {
    const std::string policy = every_policy();
    CAPTURE(policy);
    Fixture f;
    app::Server& sa = f.server(f.a, "a", addr("10.0.0.2"));
    policies::Channel& ch = f.idle_channel(policy, {addr("10.0.0.2")});
    testing::RpcLog log;
    const std::uint32_t fail_fast = log.start(ch);
    const std::uint32_t waiting = log.start(ch, {.wait_for_ready = true});
    // ring_hash starts its connection in a later event (A42: the picker triggers it "in the
    // control plane"), so its channel is still IDLE here; the others are CONNECTING.
    REQUIRE(ch.state() == (policy == "ring_hash" ? ConnectivityState::idle : ConnectivityState::connecting));
    REQUIRE(log.results.empty());  // queued, not failed
    f.run_until(100_ms);
    const Instant ready = f.channel_entered("READY");
    for (std::uint32_t id : {fail_fast, waiting}) {
        REQUIRE(log.of(id).status == RpcStatus::ok);
        REQUIRE(log.of(id).served_by == sa.id());
        REQUIRE(log.of(id).finished > ready);
    }
    testing::require_every_rpc_ended(ch, log);
}

TEST_CASE("every policy: no RPC is lost without a status through crashes, graceful stops and restarts (the oracles' "
          "first invariant)",
          "[policies][suite]") {
    const std::string policy = every_policy();
    CAPTURE(policy);
    Fixture f(7);
    f.world.network().set_default_link(net::LinkConfig{1_ms, 2_ms, 1, 50});
    app::Server& sa = f.server(f.a, "a", addr("10.0.0.2"), app::ListenerStrategy::reuseaddr, 5_ms);
    app::Server& sb = f.server(f.b, "b", addr("10.0.0.3"), app::ListenerStrategy::restartable, 5_ms);
    policies::Channel& ch = f.channel(policy, {addr("10.0.0.2"), addr("10.0.0.3")});
    testing::RpcLog log;
    for (int i = 0; i < 300; ++i)
        f.sim().schedule_at(Instant::at(50_ms * i),
                            [&log, &ch, i] { log.start(ch, {.deadline = 2_s, .wait_for_ready = i % 3 == 0}); });
    f.sim().schedule_at(Instant::at(3_s), [&sa] { sa.crash(); });
    f.sim().schedule_at(Instant::at(5_s), [&sa] { sa.start(); });
    f.sim().schedule_at(Instant::at(7_s), [&sb] { sb.graceful_stop(); });
    f.sim().schedule_at(Instant::at(8_s), [&sa] { sa.stop(); });
    f.sim().schedule_at(Instant::at(11_s), [&sb] { sb.start(); });
    f.sim().schedule_at(Instant::at(12_s), [&sa] { sa.start(); });
    f.run_until(30_s);
    testing::require_every_rpc_ended(ch, log);
    std::set<RpcStatus> seen;
    for (const auto& r : log.results) seen.insert(r.status);
    REQUIRE(seen.contains(RpcStatus::ok));
    REQUIRE(seen.contains(RpcStatus::unavailable));  // fail-fast RPCs while both were down
    REQUIRE_FALSE(seen.contains(RpcStatus::cancelled));
}

TEST_CASE("every policy: a backend restarted on its port gets traffic back without a resolver update (grpc-go "
          "restartable listener tests); pick_first and ring_hash need an RPC to leave IDLE, the others reconnect by "
          "themselves",
          "[policies][suite]") {
    const std::string policy = every_policy();
    CAPTURE(policy);
    Fixture f;
    app::Server& sa = f.server(f.a, "a", addr("10.0.0.2"));
    policies::Channel& ch = f.channel(policy, {addr("10.0.0.2")});
    testing::RpcLog log;
    log.start(ch);  // ring_hash connects only for a pick
    f.run_until(100_ms);
    REQUIRE(ch.state() == ConnectivityState::ready);
    sa.stop();
    f.run_until(110_ms);
    sa.start();
    f.run_until(5_s);
    if (reconnects_on_demand(policy)) {
        // pick_first (classic and leaf) and ring_hash: a lost READY connection leaves the channel
        // IDLE; nothing reconnects until an RPC or connect() (grpc-go pickfirst, A62; A42).
        REQUIRE(ch.state() == ConnectivityState::idle);
    } else {
        // Eager policies reconnect an IDLE subchannel at once and retry after backoff: READY
        // again with no RPC pending.
        REQUIRE(ch.state() == ConnectivityState::ready);
    }
    const std::uint32_t id = log.start(ch);
    f.run_until(6_s);
    REQUIRE(log.of(id).status == RpcStatus::ok);
    REQUIRE(log.of(id).served_by == sa.id());
    REQUIRE(f.records("resolver.reresolve").size() == 1);  // every policy re-resolves when READY is lost
    testing::require_every_rpc_ended(ch, log);
}

TEST_CASE("every policy: an empty resolver update is TRANSIENT_FAILURE; a later non-empty update recovers at once "
          "(grpc-go TestRoundRobin_AddressesRemoved, pickfirst 'produced zero addresses')",
          "[policies][suite]") {
    const std::string policy = every_policy();
    CAPTURE(policy);
    Fixture f;
    app::Server& sb = f.server(f.b, "b", addr("10.0.0.3"));
    policies::Channel& ch = f.channel(policy, {addr("10.0.0.3")});
    testing::RpcLog log;
    log.start(ch);  // ring_hash connects only for a pick
    f.run_until(100_ms);
    REQUIRE(ch.state() == ConnectivityState::ready);
    ch.resolver().update({});
    REQUIRE(ch.state() == ConnectivityState::transient_failure);
    const std::uint32_t fail_fast = log.start(ch);
    REQUIRE(log.of(fail_fast).status == RpcStatus::unavailable);
    const std::uint32_t waiting = log.start(ch, {.wait_for_ready = true});
    f.run_until(1_s);
    ch.resolver().update({addr("10.0.0.3")});
    // Left in the same event (no sticky TF for an empty list): CONNECTING, or IDLE for ring_hash,
    // whose new subchannels start IDLE until a pick (its queued RPC's, one event later) needs them.
    REQUIRE(ch.state() == (policy == "ring_hash" ? ConnectivityState::idle : ConnectivityState::connecting));
    f.run_until(2_s);
    REQUIRE(ch.state() == ConnectivityState::ready);
    REQUIRE(log.of(waiting).served_by == sb.id());
    testing::require_every_rpc_ended(ch, log);
}

TEST_CASE("every policy: SHUTDOWN closes every socket, ends pending RPCs CANCELLED and later ones too "
          "(connectivity-semantics: SHUTDOWN)",
          "[policies][suite]") {
    const std::string policy = every_policy();
    CAPTURE(policy);
    Fixture f;
    f.server(f.a, "a", addr("10.0.0.2"), app::ListenerStrategy::reuseaddr, 1_s);
    f.server(f.c, "c", addr("10.0.0.4"), app::ListenerStrategy::reuseaddr, 1_s);
    f.world.network().partition(f.client_host, f.b);  // an attempt hanging on SYN retries
    policies::Channel& ch = f.channel(policy, {addr("10.0.0.3"), addr("10.0.0.2"), addr("10.0.0.4")});
    testing::RpcLog log;
    f.run_until(500_ms);
    const std::uint32_t pending = log.start(ch);
    f.run_until(600_ms);
    kernel::Kernel& k = f.world.kernel(f.client_host);
    REQUIRE(k.socket_count() > 0);
    ch.shutdown();
    REQUIRE(ch.state() == ConnectivityState::shutdown);
    REQUIRE(log.of(pending).status == RpcStatus::cancelled);
    for (const kernel::SocketView& v : k.sockets()) REQUIRE_FALSE(v.fd.has_value());
    REQUIRE(log.of(log.start(ch)).status == RpcStatus::cancelled);
    f.run_until(70_s);  // past TIME_WAIT
    REQUIRE(k.socket_count() == 0);
    REQUIRE(ch.subchannels().empty());
    testing::require_every_rpc_ended(ch, log);
}
