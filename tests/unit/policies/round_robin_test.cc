// round_robin: eager connections, rotation over READY subchannels from a seeded start, sticky
// TRANSIENT_FAILURE, reconnection of an IDLE subchannel, resolver updates, as gRPC's
// doc/load-balancing.md and grpc-go's test/roundrobin_test.go and balancer/base/balancer.go
// describe them.
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

struct Fixture : testing::ThreeBackends {
    using ThreeBackends::ThreeBackends;
    std::vector<net::SocketAddress> all{addr("10.0.0.2"), addr("10.0.0.3"), addr("10.0.0.4")};

    // Sends `n` RPCs one after another (each after the previous one ended) and returns who
    // served each, by server name ("-" for a failed RPC).
    Strings serve_in_turn(policies::Channel& ch, testing::RpcLog& log, int n) {
        Strings out;
        for (int i = 0; i < n; ++i) {
            const std::uint32_t id = log.start(ch);
            sim().run_until(sim().now() + 10_ms);
            const policies::RpcResult& r = log.of(id);
            out.push_back(r.status == RpcStatus::ok ? std::string(world.process_name(r.served_by)) : "-");
        }
        return out;
    }
};

}  // namespace

TEST_CASE("round_robin connects a subchannel per address at once, not one at a time (doc/load-balancing.md; grpc-go "
          "balancer/base: every SubConn Connect()s on creation)",
          "[policies][round_robin]") {
    Fixture f;
    f.server(f.a, "a", addr("10.0.0.2"));
    f.server(f.b, "b", addr("10.0.0.3"));
    f.server(f.c, "c", addr("10.0.0.4"));
    policies::Channel& ch = f.channel("round_robin", f.all);
    f.run_until(100_ms);
    REQUIRE(f.connects() == Connects{{0_ms, "10.0.0.2:50051"}, {0_ms, "10.0.0.3:50051"}, {0_ms, "10.0.0.4:50051"}});
    REQUIRE(f.channel_states() == Strings{"IDLE->CONNECTING", "CONNECTING->READY"});
    REQUIRE(ch.subchannels().size() == 3);
    for (std::int64_t id = 1; id <= 3; ++id) REQUIRE(f.subchannel_states(id) == Strings{"CONNECTING", "READY"});
}

TEST_CASE("round_robin rotates over the READY backends in resolver order (grpc-go TestRoundRobin_Basic, "
          "rrutil.CheckRoundRobinRPCs)",
          "[policies][round_robin]") {
    Fixture f;
    f.server(f.a, "a", addr("10.0.0.2"));
    f.server(f.b, "b", addr("10.0.0.3"));
    f.server(f.c, "c", addr("10.0.0.4"));
    policies::Channel& ch = f.channel("round_robin", f.all);
    f.run_until(100_ms);
    testing::RpcLog log;
    const Strings served = f.serve_in_turn(ch, log, 9);
    // Whatever the start, each window of three is a rotation of a, b, c.
    const std::string rotation = "abcab";
    const std::string first3 = served[0] + served[1] + served[2];
    REQUIRE(rotation.find(first3) != std::string::npos);
    for (std::size_t i = 3; i < served.size(); ++i) REQUIRE(served[i] == served[i - 3]);
    testing::require_every_rpc_ended(ch, log);
}

TEST_CASE("round_robin's starting backend is drawn from the stream lb/<channel>: a function of the seed, and not "
          "always the first (grpc-go rrPickerBuilder: a random start)",
          "[policies][round_robin]") {
    auto first_served = [](std::uint64_t seed) {
        Fixture f(seed);
        f.server(f.a, "a", addr("10.0.0.2"));
        f.server(f.b, "b", addr("10.0.0.3"));
        f.server(f.c, "c", addr("10.0.0.4"));
        policies::Channel& ch = f.channel("round_robin", f.all);
        f.run_until(100_ms);
        testing::RpcLog log;
        return f.serve_in_turn(ch, log, 1).front();
    };
    std::set<std::string> starts;
    for (std::uint64_t seed = 0; seed < 12; ++seed) {
        REQUIRE(first_served(seed) == first_served(seed));
        starts.insert(first_served(seed));
    }
    REQUIRE(starts == std::set<std::string>{"a", "b", "c"});
}

TEST_CASE("round_robin with one backend down sends every RPC to the others and stays READY (grpc-go "
          "TestRoundRobin_OneServerDown)",
          "[policies][round_robin]") {
    Fixture f;
    f.server(f.a, "a", addr("10.0.0.2"));
    app::Server& sb = f.server(f.b, "b", addr("10.0.0.3"));
    f.server(f.c, "c", addr("10.0.0.4"));
    policies::Channel& ch = f.channel("round_robin", f.all);
    f.run_until(100_ms);
    sb.stop();
    f.run_until(200_ms);
    testing::RpcLog log;
    const Strings served = f.serve_in_turn(ch, log, 6);
    for (const std::string& s : served) REQUIRE((s == "a" || s == "c"));
    REQUIRE(served[0] != served[1]);
    REQUIRE(f.channel_states() == Strings{"IDLE->CONNECTING", "CONNECTING->READY"});
    testing::require_every_rpc_ended(ch, log);
}

TEST_CASE("round_robin TRANSIENT_FAILURE is sticky: subchannels retrying (CONNECTING) do not take the channel out of "
          "TF; it leaves only for READY (grpc-go balancer/base: 'ignore subsequent IDLE or CONNECTING transitions')",
          "[policies][round_robin]") {
    Fixture f;
    policies::Channel& ch = f.channel("round_robin", f.all);
    f.run_until(100_ms);
    REQUIRE(f.channel_states() == Strings{"IDLE->CONNECTING", "CONNECTING->TRANSIENT_FAILURE"});
    testing::RpcLog log;
    const std::uint32_t fail_fast = log.start(ch);
    const std::uint32_t waiting = log.start(ch, {.wait_for_ready = true});
    REQUIRE(log.of(fail_fast).status == RpcStatus::unavailable);  // grpc-go TestRoundRobin_AllServersDown
    f.run_until(1500_ms);
    // Each subchannel retried after its backoff (CONNECTING again); the channel did not move.
    REQUIRE(f.subchannel_states(1) ==
            Strings{"CONNECTING", "TRANSIENT_FAILURE", "IDLE", "CONNECTING", "TRANSIENT_FAILURE"});
    REQUIRE(f.channel_states() == Strings{"IDLE->CONNECTING", "CONNECTING->TRANSIENT_FAILURE"});
    app::Server& sc = f.server(f.c, "c", addr("10.0.0.4"));
    f.run_until(10_s);
    REQUIRE(f.channel_states() == Strings{"IDLE->CONNECTING", "CONNECTING->TRANSIENT_FAILURE", "TRANSIENT_FAILURE->READY"});
    REQUIRE(log.of(waiting).status == RpcStatus::ok);
    REQUIRE(log.of(waiting).served_by == sc.id());
    testing::require_every_rpc_ended(ch, log);
}

TEST_CASE("round_robin: a backend restarted on its port gets traffic back with no resolver update, and no RPC fails "
          "while another backend is READY (grpc-go balancer/base: an IDLE SubConn Connect()s at once)",
          "[policies][round_robin]") {
    Fixture f;
    f.server(f.a, "a", addr("10.0.0.2"));
    app::Server& sb = f.server(f.b, "b", addr("10.0.0.3"));
    policies::Channel& ch = f.channel("round_robin", {addr("10.0.0.2"), addr("10.0.0.3")});
    f.run_until(100_ms);
    testing::RpcLog log;
    sb.stop();
    f.run_until(110_ms);
    // The lost READY subchannel went IDLE and straight to CONNECTING (refused while b is down).
    REQUIRE(f.subchannel_states(2) == Strings{"CONNECTING", "READY", "IDLE", "CONNECTING", "TRANSIENT_FAILURE"});
    const Strings during = f.serve_in_turn(ch, log, 4);
    REQUIRE(during == Strings{"a", "a", "a", "a"});
    sb.start();
    f.run_until(2_s);  // b's subchannel retries after its 1 s backoff
    const Strings after = f.serve_in_turn(ch, log, 4);
    REQUIRE(std::count(after.begin(), after.end(), "b") == 2);
    REQUIRE(f.records("subchannel.create").size() == 2);  // the same subchannel reconnected
    REQUIRE(f.channel_states() == Strings{"IDLE->CONNECTING", "CONNECTING->READY"});
    for (const auto& r : log.results) REQUIRE(r.status == RpcStatus::ok);
    testing::require_every_rpc_ended(ch, log);
}

TEST_CASE("round_robin: a resolver update keeps the subchannels of addresses that stay, connects new ones and drops "
          "the others (grpc-go balancer/base UpdateClientConnState)",
          "[policies][round_robin]") {
    Fixture f;
    f.server(f.a, "a", addr("10.0.0.2"));
    f.server(f.b, "b", addr("10.0.0.3"));
    app::Server& sc = f.server(f.c, "c", addr("10.0.0.4"));
    policies::Channel& ch = f.channel("round_robin", {addr("10.0.0.2"), addr("10.0.0.3")});
    f.run_until(100_ms);
    ch.resolver().update({addr("10.0.0.4"), addr("10.0.0.3")});
    f.run_until(200_ms);
    REQUIRE(f.subchannel_states(1) == Strings{"CONNECTING", "READY", "SHUTDOWN"});
    REQUIRE(f.subchannel_states(2) == Strings{"CONNECTING", "READY"});  // kept: no new connection
    REQUIRE(f.subchannel_states(3) == Strings{"CONNECTING", "READY"});
    REQUIRE(f.connects().size() == 3);
    testing::RpcLog log;
    const Strings served = f.serve_in_turn(ch, log, 4);
    REQUIRE(std::count(served.begin(), served.end(), "c") == 2);
    REQUIRE(std::count(served.begin(), served.end(), "b") == 2);
    REQUIRE(f.channel_states() == Strings{"IDLE->CONNECTING", "CONNECTING->READY"});
    (void)sc;
    testing::require_every_rpc_ended(ch, log);
}

TEST_CASE("round_robin: an empty update is TRANSIENT_FAILURE ('produced zero addresses'); a later non-empty update "
          "recovers (grpc-go TestRoundRobin_AddressesRemoved, TestRoundRobin_NewAddressWhileBlocking)",
          "[policies][round_robin]") {
    Fixture f;
    app::Server& sa = f.server(f.a, "a", addr("10.0.0.2"));
    policies::Channel& ch = f.channel("round_robin", {addr("10.0.0.2")});
    f.run_until(100_ms);
    ch.resolver().update({});
    REQUIRE(ch.state() == ConnectivityState::transient_failure);
    REQUIRE(ch.subchannels().empty());
    testing::RpcLog log;
    const std::uint32_t fail_fast = log.start(ch);
    const std::uint32_t waiting = log.start(ch, {.wait_for_ready = true});
    REQUIRE(log.of(fail_fast).status == RpcStatus::unavailable);
    f.run_until(200_ms);
    ch.resolver().update({addr("10.0.0.2")});
    f.run_until(300_ms);
    REQUIRE(log.of(waiting).served_by == sa.id());
    REQUIRE(f.channel_states() == Strings{"IDLE->CONNECTING", "CONNECTING->READY", "READY->TRANSIENT_FAILURE",
                                          "TRANSIENT_FAILURE->CONNECTING", "CONNECTING->READY"});
    testing::require_every_rpc_ended(ch, log);
}

TEST_CASE("round_robin takes no configuration: any key is an error naming the entry", "[policies][round_robin]") {
    const auto lookup = policies::PolicyRegistry::builtin().lookup("round_robin", {{"choice_count", "2"}});
    REQUIRE(std::holds_alternative<policies::PolicyConfigError>(lookup));
    const auto& error = std::get<policies::PolicyConfigError>(lookup);
    REQUIRE(error.entry == 0u);
    REQUIRE(error.message == "round_robin has no option 'choice_count' (options: none)");
}
