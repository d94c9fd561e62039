// least_request (gRFC A48, grpc-go balancer/leastrequest: leastrequest.go and balancer_test.go):
// choice_count candidates drawn from the READY subchannels, fewest outstanding RPCs wins, ties to
// the first drawn, counts kept from the pick to the RPC's end. The draws come from the stream
// lb/<channel>; a test replays that stream to know the candidates, as grpc-go's tests inject
// grpcranduint32.
#include "tests/unit/policies/policy_world.h"

#include <algorithm>
#include <map>

using namespace netsim;
using namespace netsim::literals;
using policies::ConnectivityState;
using policies::RpcStatus;
using testing::addr;

namespace {

using Strings = std::vector<std::string>;

struct Fixture : testing::ThreeBackends {
    using ThreeBackends::ThreeBackends;
    std::vector<net::SocketAddress> all{addr("10.0.0.2"), addr("10.0.0.3"), addr("10.0.0.4")};

    void start_all(Duration service) {
        server(a, "a", addr("10.0.0.2"), app::ListenerStrategy::reuseaddr, service);
        server(b, "b", addr("10.0.0.3"), app::ListenerStrategy::reuseaddr, service);
        server(c, "c", addr("10.0.0.4"), app::ListenerStrategy::reuseaddr, service);
    }
    // The addresses RPCs were sent on, in sending order.
    Strings sent() {
        Strings out;
        for (const TraceRecord* r : records("rpc.sent")) out.push_back(field(*r, "address"));
        return out;
    }
};

const policies::Subchannel& subchannel_for(const policies::Channel& ch, const net::SocketAddress& a) {
    for (const policies::Subchannel* s : ch.subchannels())
        if (s->addresses().front() == a) return *s;
    FAIL("no subchannel for " << a.to_string());
    return *ch.subchannels().front();
}

}  // namespace

TEST_CASE("least_request sends each RPC to the candidate with the fewest outstanding RPCs, ties to the first drawn "
          "(A48; grpc-go TestLeastRequestE2E, with the draws replayed from the stream lb/client)",
          "[policies][least_request]") {
    const std::uint32_t choice_count = GENERATE(2u, 3u, 10u);
    CAPTURE(choice_count);
    Fixture f(42);
    f.start_all(10_s);  // nothing ends during the test: counts only grow
    policies::Channel& ch = f.channel("least_request", f.all, {{"choice_count", std::to_string(choice_count)}});
    f.run_until(100_ms);
    REQUIRE(ch.state() == ConnectivityState::ready);
    Rng replay = f.sim().rng_stream("lb/client");  // the picker is the stream's only user
    std::vector<std::size_t> outstanding(3, 0);
    Strings expected;
    testing::RpcLog log;
    for (int i = 0; i < 60; ++i) {
        std::size_t best = 3;
        for (std::uint32_t draw = 0; draw < choice_count; ++draw) {
            const auto candidate = static_cast<std::size_t>(replay.below(3));
            if (best == 3 || outstanding[candidate] < outstanding[best]) best = candidate;
        }
        ++outstanding[best];
        expected.push_back(f.all[best].to_string());
        log.start(ch);
    }
    REQUIRE(f.sent() == expected);
    for (std::size_t i = 0; i < 3; ++i) REQUIRE(ch.outstanding_rpcs(subchannel_for(ch, f.all[i])) == outstanding[i]);
    // With every count known to the picker, the spread stays within choice_count's reach: never
    // more than a few apart (A48's point), however the draws fall.
    const auto [low, high] = std::minmax_element(outstanding.begin(), outstanding.end());
    REQUIRE(*high - *low <= 5);
    f.run_until(11_s);
    testing::require_every_rpc_ended(ch, log);
}

TEST_CASE("least_request counts an RPC from its pick to its end, whatever the status: a DEADLINE_EXCEEDED RPC no "
          "longer counts (A48: decrement 'once the RPC finishes (regardless of Status code)')",
          "[policies][least_request]") {
    Fixture f;
    f.start_all(5_s);
    policies::Channel& ch = f.channel("least_request", f.all);
    f.run_until(100_ms);
    testing::RpcLog log;
    for (int i = 0; i < 6; ++i) log.start(ch, {.deadline = 200_ms});
    std::size_t total = 0;
    for (const policies::Subchannel* s : ch.subchannels()) total += ch.outstanding_rpcs(*s);
    REQUIRE(total == 6);
    f.run_until(400_ms);
    for (const auto& r : log.results) REQUIRE(r.status == RpcStatus::deadline_exceeded);
    for (const policies::Subchannel* s : ch.subchannels()) REQUIRE(ch.outstanding_rpcs(*s) == 0);
    testing::require_every_rpc_ended(ch, log);
}

TEST_CASE("least_request draws only READY subchannels: a backend that is down gets nothing (A48: 'choice_count "
          "random READY subchannels')",
          "[policies][least_request]") {
    Fixture f;
    f.server(f.a, "a", addr("10.0.0.2"));
    f.server(f.c, "c", addr("10.0.0.4"));
    policies::Channel& ch = f.channel("least_request", f.all, {{"choice_count", "3"}});
    f.run_until(100_ms);
    testing::RpcLog log;
    for (int i = 0; i < 30; ++i) log.start(ch);
    f.run_until(200_ms);
    for (const std::string& s : f.sent()) REQUIRE(s != "10.0.0.3:50051");
    REQUIRE(ch.state() == ConnectivityState::ready);
    testing::require_every_rpc_ended(ch, log);
}

TEST_CASE("least_request: a backend ten times slower gets far fewer RPCs under steady load (A48's purpose; the "
          "catalogue's least_request_slow_backend measures it)",
          "[policies][least_request]") {
    Fixture f(3);
    app::Server& sa = f.server(f.a, "a", addr("10.0.0.2"), app::ListenerStrategy::reuseaddr, 20_ms);
    app::Server& sb = f.server(f.b, "b", addr("10.0.0.3"), app::ListenerStrategy::reuseaddr, 20_ms);
    app::Server& slow = f.server(f.c, "c", addr("10.0.0.4"), app::ListenerStrategy::reuseaddr, 200_ms);
    policies::Channel& ch = f.channel("least_request", f.all);
    testing::RpcLog log;
    for (int i = 0; i < 2000; ++i) f.sim().schedule_at(Instant::at(100_ms + 5_ms * i), [&] { log.start(ch); });
    f.run_until(12_s);
    testing::require_every_rpc_ended(ch, log);
    for (const auto& r : log.results) REQUIRE(r.status == RpcStatus::ok);
    // Drawing two with replacement, the slow one is picked at least when both draws are it (1 in
    // 9): about 13 % of the RPCs here, against 43 % for each fast backend.
    REQUIRE(slow.rpcs_answered() * 2 < sa.rpcs_answered());
    REQUIRE(slow.rpcs_answered() * 2 < sb.rpcs_answered());
    REQUIRE(slow.rpcs_answered() * 10 >= log.results.size());
}

TEST_CASE("least_request configuration: choice_count default 2, below 2 rejected, above 10 taken as 10 (A48; grpc-go "
          "TestParseConfig)",
          "[policies][least_request]") {
    const policies::PolicyRegistry& r = policies::PolicyRegistry::builtin();
    auto error = [&](policies::PolicyConfig config) {
        const auto lookup = r.lookup("least_request", config);
        REQUIRE(std::holds_alternative<policies::PolicyConfigError>(lookup));
        return std::get<policies::PolicyConfigError>(lookup);
    };
    REQUIRE(error({{"choice_count", "1"}}).message == "choice_count: expected a whole number of at least 2, got '1'");
    REQUIRE(error({{"choice_count", "two"}}).entry == 0u);
    REQUIRE(error({{"choice_count", "3"}, {"choices", "3"}}).message ==
            "least_request has no option 'choices' (options: choice_count)");
    // 11 behaves exactly as 10: the same draws, the same trace, for the same seed.
    auto hash = [](const char* count) {
        Fixture f(5);
        f.start_all(50_ms);
        policies::Channel& ch = f.channel("least_request", f.all, {{"choice_count", count}});
        testing::RpcLog log;
        for (int i = 0; i < 100; ++i) f.sim().schedule_at(Instant::at(10_ms * i), [&] { log.start(ch); });
        f.run_until(2_s);
        return f.sim().trace().hash();
    };
    REQUIRE(hash("11") == hash("10"));
    REQUIRE(hash("10") != hash("2"));
    REQUIRE(hash("2") == [] {
        Fixture f(5);
        f.start_all(50_ms);
        policies::Channel& ch = f.channel("least_request", f.all);
        testing::RpcLog log;
        for (int i = 0; i < 100; ++i) f.sim().schedule_at(Instant::at(10_ms * i), [&] { log.start(ch); });
        f.run_until(2_s);
        return f.sim().trace().hash();
    }());
}
