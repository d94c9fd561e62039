// The channel: the behaviours both pick_first variants share at channel level (one suite over
// both, docs/policies.md: "the same channel-level sequence"), RPC statuses (every RPC ends
// with one: OK, UNAVAILABLE, DEADLINE_EXCEEDED, CANCELLED), state observation, shutdown
// releasing every socket, and determinism (same seed, same trace hash).
#include "policies/channel.h"

#include "tests/unit/policies/policy_world.h"

#include <map>
#include <set>

using namespace netsim;
using namespace netsim::literals;
using policies::ConnectivityState;
using policies::RpcStatus;
using testing::addr;

namespace {

using Strings = std::vector<std::string>;

using Fixture = testing::ThreeBackends;

}  // namespace

TEST_CASE("both pick_first variants give the same channel-level sequence: first refused, second READY, READY lost "
          "(docs/policies.md: classic vs leaf)",
          "[policies][channel]") {
    const std::string policy = GENERATE(std::string("pick_first"), std::string("pick_first_leaf"));
    CAPTURE(policy);
    Fixture f;
    app::Server& sb = f.server(f.b, "b", addr("10.0.0.3"));
    policies::Channel& ch = f.channel(policy, {addr("10.0.0.2"), addr("10.0.0.3")});
    f.run_until(100_ms);
    sb.crash();
    f.run_until(200_ms);
    REQUIRE(f.channel_states() == Strings{"IDLE->CONNECTING", "CONNECTING->READY", "READY->IDLE"});
    REQUIRE(f.channel_entered("READY") == Instant::at(6_ms));  // refused at 2 ms, preface from b at 6 ms
    REQUIRE(ch.policy_name() == policy);
}

TEST_CASE("an RPC on a READY channel ends OK, naming the serving process and the address", "[policies][channel]") {
    const std::string policy = GENERATE(std::string("pick_first"), std::string("pick_first_leaf"));
    Fixture f;
    app::Server& sa = f.server(f.a, "a", addr("10.0.0.2"), app::ListenerStrategy::reuseaddr, 10_ms);
    policies::Channel& ch = f.channel(policy, {addr("10.0.0.2")});
    testing::RpcLog log;
    const std::uint32_t early = log.start(ch);  // queued while CONNECTING, sent at READY
    f.run_until(100_ms);
    const std::uint32_t later = log.start(ch);
    f.run_until(200_ms);
    const policies::RpcResult& r = log.of(early);
    REQUIRE(r.status == RpcStatus::ok);
    REQUIRE(r.served_by == sa.id());
    REQUIRE(r.address == addr("10.0.0.2"));
    REQUIRE(r.started == Instant::start());
    REQUIRE(r.finished == Instant::at(4_ms + 1_ms + 10_ms + 1_ms));  // READY at 4 ms, 1 ms each way, 10 ms service
    REQUIRE(log.of(later).finished - log.of(later).started == 12_ms);
    REQUIRE(f.records("rpc.done").size() == 2);
    testing::require_every_rpc_ended(ch, log);
}

TEST_CASE("deadlines: a queued wait-for-ready RPC and a sent RPC to a slow backend end DEADLINE_EXCEEDED at their deadline",
          "[policies][channel]") {
    Fixture f;
    policies::Channel& down = f.channel("pick_first", {addr("10.0.0.2")});
    app::Server& slow = f.server(f.b, "b", addr("10.0.0.3"), app::ListenerStrategy::reuseaddr, 5_s);
    policies::ChannelConfig config;
    config.addresses = {addr("10.0.0.3")};
    policies::Channel& up = f.world.spawn<policies::Channel>(f.client_host, "client2", config);
    testing::RpcLog down_log, up_log;
    const std::uint32_t queued = down_log.start(down, {.deadline = 500_ms, .wait_for_ready = true});
    const std::uint32_t sent = up_log.start(up, {.deadline = 1_s});
    f.run_until(10_s);
    REQUIRE(down_log.of(queued).status == RpcStatus::deadline_exceeded);
    REQUIRE(down_log.of(queued).finished == Instant::at(500_ms));
    REQUIRE(up_log.of(sent).status == RpcStatus::deadline_exceeded);
    REQUIRE(up_log.of(sent).finished == Instant::at(1_s));
    REQUIRE(up_log.of(sent).address == addr("10.0.0.3"));  // it was sent; its late response is ignored
    REQUIRE(slow.rpcs_answered() == 1);
    testing::require_every_rpc_ended(down, down_log);
    testing::require_every_rpc_ended(up, up_log);
}

TEST_CASE("a connection lost with RPCs in flight ends them UNAVAILABLE; queued ones wait for the next connection",
          "[policies][channel]") {
    const std::string policy = GENERATE(std::string("pick_first"), std::string("pick_first_leaf"));
    Fixture f;
    app::Server& sa = f.server(f.a, "a", addr("10.0.0.2"), app::ListenerStrategy::reuseaddr, 1_s);
    policies::Channel& ch = f.channel(policy, {addr("10.0.0.2")});
    testing::RpcLog log;
    f.run_until(10_ms);
    const std::uint32_t in_flight = log.start(ch);
    f.run_until(100_ms);
    sa.crash();
    f.run_until(102_ms);
    REQUIRE(log.of(in_flight).status == RpcStatus::unavailable);
    REQUIRE(log.of(in_flight).finished == Instant::at(101_ms));
    sa.start();
    const std::uint32_t next = log.start(ch);  // takes the channel out of IDLE
    f.run_until(3_s);
    REQUIRE(log.of(next).status == RpcStatus::ok);
    testing::require_every_rpc_ended(ch, log);
}

TEST_CASE("GOAWAY: the channel goes IDLE at once and no new RPC uses the draining connection (grpc-go GracefulStop)",
          "[policies][channel]") {
    const std::string policy = GENERATE(std::string("pick_first"), std::string("pick_first_leaf"));
    Fixture f;
    app::Server& sa = f.server(f.a, "a", addr("10.0.0.2"), app::ListenerStrategy::reuseaddr, 100_ms);
    f.server(f.b, "b", addr("10.0.0.3"));
    policies::Channel& ch = f.channel(policy, {addr("10.0.0.2"), addr("10.0.0.3")});
    testing::RpcLog log;
    f.run_until(10_ms);
    const std::uint32_t first = log.start(ch);
    f.run_until(20_ms);
    sa.graceful_stop();
    f.run_until(30_ms);
    REQUIRE(ch.state() == ConnectivityState::idle);
    const std::uint32_t second = log.start(ch);
    f.run_until(1_s);
    REQUIRE(log.done(first));  // OK, or UNAVAILABLE when the server's RST overtakes its answer
    REQUIRE(log.of(second).status == RpcStatus::ok);
    REQUIRE(log.of(second).address == addr("10.0.0.3"));  // a refuses now: from the top, then b
    testing::require_every_rpc_ended(ch, log);
}

TEST_CASE("on_state callbacks hear every channel state change, in order, with the trace", "[policies][channel]") {
    Fixture f;
    f.server(f.a, "a", addr("10.0.0.2"));
    policies::ChannelConfig config;
    config.policy = "pick_first_leaf";
    policies::Channel& ch = f.world.spawn<policies::Channel>(f.client_host, "client", config);
    Strings heard;
    ch.on_state([&](ConnectivityState from, ConnectivityState to) {
        heard.push_back(fmt::format("{}->{}", from, to));
    });
    ch.resolver().update({addr("10.0.0.2")});
    ch.connect();
    f.run_until(100_ms);
    ch.shutdown();
    REQUIRE(heard == Strings{"IDLE->CONNECTING", "CONNECTING->READY", "READY->SHUTDOWN"});
    REQUIRE(heard == f.channel_states());
}

TEST_CASE("a resolver error before any address is TRANSIENT_FAILURE; after a good list it is ignored (grpc-go "
          "ResolverError)",
          "[policies][channel]") {
    const std::string policy = GENERATE(std::string("pick_first"), std::string("pick_first_leaf"));
    Fixture f;
    f.server(f.a, "a", addr("10.0.0.2"));
    policies::ChannelConfig config;
    config.policy = policy;
    policies::Channel& ch = f.world.spawn<policies::Channel>(f.client_host, "client", config);
    ch.connect();
    ch.resolver().fail("no such host");
    REQUIRE(ch.state() == ConnectivityState::transient_failure);
    ch.resolver().update({addr("10.0.0.2")});
    f.run_until(100_ms);
    REQUIRE(ch.state() == ConnectivityState::ready);
    ch.resolver().fail("dns flake");
    REQUIRE(ch.state() == ConnectivityState::ready);
}

TEST_CASE("shutdown closes every socket of the channel and ends pending RPCs CANCELLED", "[policies][channel]") {
    const std::string policy = GENERATE(std::string("pick_first"), std::string("pick_first_leaf"));
    Fixture f;
    f.server(f.a, "a", addr("10.0.0.2"), app::ListenerStrategy::reuseaddr, 1_s);
    f.world.network().partition(f.client_host, f.b);  // a hanging attempt too, for the leaf
    policies::Channel& ch = f.channel(policy, {addr("10.0.0.3"), addr("10.0.0.2")});
    testing::RpcLog log;
    f.run_until(500_ms);  // classic: still on 10.0.0.3 (SYN retries); leaf: READY on 10.0.0.2
    const std::uint32_t pending = log.start(ch);
    f.run_until(600_ms);
    kernel::Kernel& k = f.world.kernel(f.client_host);
    REQUIRE(k.socket_count() > 0);
    ch.shutdown();
    REQUIRE(ch.state() == ConnectivityState::shutdown);
    REQUIRE(log.of(pending).status == RpcStatus::cancelled);
    for (const kernel::SocketView& v : k.sockets()) REQUIRE_FALSE(v.fd.has_value());  // no descriptor left
    const std::uint32_t after = log.start(ch);
    REQUIRE(log.of(after).status == RpcStatus::cancelled);
    f.run_until(70_s);  // past TIME_WAIT
    REQUIRE(k.socket_count() == 0);
    REQUIRE(ch.subchannels().empty());
    testing::require_every_rpc_ended(ch, log);
}

namespace {

// A channel workload over a jittery, lossy network: RPCs every 50 ms for 20 s while one backend
// crashes and restarts and the other stops gracefully and comes back.
std::uint64_t workload_hash(const std::string& policy, std::uint64_t seed) {
    testing::PolicyWorld w(seed);
    w.world.network().set_default_link(net::LinkConfig{1_ms, 2_ms, 1, 50});
    const net::HostId a = w.host("a", {"10.0.0.2"});
    const net::HostId b = w.host("b", {"10.0.0.3"});
    app::Server& sa = w.server(a, "a", addr("10.0.0.2"), app::ListenerStrategy::reuseaddr, 5_ms);
    app::Server& sb = w.server(b, "b", addr("10.0.0.3"), app::ListenerStrategy::restartable, 5_ms);
    policies::Channel& ch = w.channel(policy, {addr("10.0.0.2"), addr("10.0.0.3")}, {{"shuffle_address_list", "true"}});
    testing::RpcLog log;
    for (int i = 0; i < 400; ++i)
        w.sim().schedule_at(Instant::at(50_ms * i), [&log, &ch, i] { log.start(ch, {.deadline = 2_s, .wait_for_ready = i % 3 == 0}); });
    w.sim().schedule_at(Instant::at(3_s), [&sa] { sa.crash(); });
    w.sim().schedule_at(Instant::at(6_s), [&sa] { sa.start(); });
    w.sim().schedule_at(Instant::at(8_s), [&sb] { sb.graceful_stop(); });
    w.sim().schedule_at(Instant::at(9_s), [&sa] { sa.stop(); });
    w.sim().schedule_at(Instant::at(12_s), [&sb] { sb.start(); });
    w.sim().schedule_at(Instant::at(14_s), [&sa] { sa.start(); });
    w.run_until(30_s);
    testing::require_every_rpc_ended(ch, log);
    // The outages show: most RPCs are served, some fail fast or wait past their deadline.
    std::map<RpcStatus, int> counts;
    for (const auto& r : log.results) ++counts[r.status];
    REQUIRE(counts[RpcStatus::ok] > 250);
    REQUIRE(counts[RpcStatus::unavailable] > 0);
    REQUIRE(counts[RpcStatus::deadline_exceeded] > 0);
    return w.sim().trace().hash();
}

}  // namespace

TEST_CASE("same seed, same trace hash for a channel workload with backend restarts (both variants)", "[policies][channel][determinism]") {
    const std::string policy = GENERATE(std::string("pick_first"), std::string("pick_first_leaf"));
    CAPTURE(policy);
    std::set<std::uint64_t> hashes;
    for (std::uint64_t seed = 1; seed <= 5; ++seed) {
        const std::uint64_t h = workload_hash(policy, seed);
        REQUIRE(workload_hash(policy, seed) == h);
        hashes.insert(h);
    }
    REQUIRE(hashes.size() == 5);
}

TEST_CASE("a new channel holds its resolver result until the first RPC: nothing connects before it (grpc-go "
          "ClientConn idle mode, exitIdleMode)",
          "[policies][channel]") {
    const std::string policy = GENERATE(std::string("pick_first"), std::string("pick_first_leaf"));
    Fixture f;
    f.server(f.a, "a", addr("10.0.0.2"));
    policies::Channel& ch = f.idle_channel(policy, {addr("10.0.0.2")});
    f.run_until(1_s);
    REQUIRE(ch.state() == ConnectivityState::idle);
    REQUIRE(f.records("transport.connect").empty());
    testing::RpcLog log;
    log.start(ch, policies::RpcOptions{1_s, false});
    f.run_until(2_s);
    REQUIRE(f.channel_states() == Strings{"IDLE->CONNECTING", "CONNECTING->READY"});
    testing::require_every_rpc_ended(ch, log);
}

TEST_CASE("an RPC sent after the server's GOAWAY (above its last-stream-id) is not served there and is retried on "
          "another backend, ending OK (gRFC A6 transparent retry; RFC 9113 section 6.8)",
          "[policies][channel]") {
    Fixture f;
    app::Server& sa = f.server(f.a, "a", addr("10.0.0.2"));
    app::Server& sb = f.server(f.b, "b", addr("10.0.0.3"));
    policies::Channel& ch = f.channel("round_robin", {addr("10.0.0.2"), addr("10.0.0.3")});
    f.run_until(100_ms);
    testing::RpcLog log;
    // GOAWAY leaves a now; the two RPCs go out before it arrives, one of them to a.
    sa.graceful_stop();
    const std::uint32_t first = log.start(ch);
    const std::uint32_t second = log.start(ch);
    f.run_until(200_ms);
    REQUIRE(f.records("rpc.transparent_retry").size() == 1);
    for (std::uint32_t id : {first, second}) {
        REQUIRE(log.of(id).status == RpcStatus::ok);
        REQUIRE(log.of(id).served_by == sb.id());
    }
    REQUIRE(sa.rpcs_answered() == 0);
    testing::require_every_rpc_ended(ch, log);
}
