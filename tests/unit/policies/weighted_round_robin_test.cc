// weighted_round_robin (gRFC A58; grpc-go balancer/weightedroundrobin balancer.go and
// balancer_test.go): weights from the backends' per-call load reports, the blackout period,
// weight expiry, the error penalty, the mean weight for backends without one, round robin with
// fewer than two weights, and its configuration.
#include "tests/unit/policies/policy_world.h"

#include <map>

using namespace netsim;
using namespace netsim::literals;
using policies::ConnectivityState;
using policies::RpcStatus;
using testing::addr;

namespace {

app::LoadReport cpu(std::uint32_t permille, std::uint32_t qps = 100, std::uint32_t eps = 0) {
    return app::LoadReport{qps, permille, eps};
}

struct Fixture : testing::ThreeBackends {
    using ThreeBackends::ThreeBackends;
    std::vector<net::SocketAddress> all{addr("10.0.0.2"), addr("10.0.0.3"), addr("10.0.0.4")};
    app::Server* servers[3] = {};

    void start_all(std::optional<app::LoadReport> ra, std::optional<app::LoadReport> rb, std::optional<app::LoadReport> rc) {
        const net::HostId hosts[3] = {a, b, c};
        const std::optional<app::LoadReport> reports[3] = {ra, rb, rc};
        for (int i = 0; i < 3; ++i) {
            app::ServerConfig config;
            config.address = all[static_cast<std::size_t>(i)];
            config.load_report = reports[i];
            servers[i] = &world.spawn<app::Server>(hosts[i], std::string(1, static_cast<char>('a' + i)), config);
            servers[i]->start();
        }
    }
    // RPCs every 10 ms over [from, until): how many each server answered, by name.
    std::map<std::string, int> load(policies::Channel& ch, testing::RpcLog& log, Duration from, Duration until) {
        const std::size_t before = log.results.size();
        for (Duration t = from; t < until; t += 10_ms) sim().schedule_at(Instant::at(t), [&log, &ch] { log.start(ch); });
        sim().run_until(Instant::at(until + 100_ms));
        std::map<std::string, int> out;
        for (std::size_t i = before; i < log.results.size(); ++i)
            if (log.results[i].status == RpcStatus::ok) ++out[std::string(world.process_name(log.results[i].served_by))];
        return out;
    }
};

}  // namespace

TEST_CASE("weighted_round_robin: equal shares during the blackout period, then shares by qps / utilization (A58: "
          "blackout_period 10 s; grpc-go TestBalancer_TwoAddresses_BlackoutPeriod)",
          "[policies][weighted_round_robin]") {
    Fixture f;
    f.start_all(cpu(200), cpu(200), cpu(800));  // weights 500, 500, 125: c gets 1/9 once weights count
    policies::Channel& ch = f.channel("weighted_round_robin", f.all);
    testing::RpcLog log;
    const auto early = f.load(ch, log, 100_ms, 9_s);
    for (const char* s : {"a", "b", "c"}) {
        INFO(s << " " << early.at(s));
        REQUIRE(early.at(s) * 10 >= 290 * 3);  // about a third each (890 RPCs)
    }
    const auto late = f.load(ch, log, 12_s, 21_s);
    const int total = late.at("a") + late.at("b") + late.at("c");
    INFO("a " << late.at("a") << " b " << late.at("b") << " c " << late.at("c"));
    REQUIRE(std::abs(late.at("c") * 9 - total) <= total / 20);  // 1/9, within rounding
    REQUIRE(std::abs(late.at("a") - late.at("b")) <= total / 50);
    testing::require_every_rpc_ended(ch, log);
}

TEST_CASE("weighted_round_robin: the error penalty lowers the weight of a backend reporting errors (A58: qps / "
          "(utilization + eps / qps x error_utilization_penalty))",
          "[policies][weighted_round_robin]") {
    Fixture f;
    // a: 100 / (0.5 + 50/100 x 1.0) = 100; b, c: 100 / 0.5 = 200. a's share: 1/5.
    f.start_all(cpu(500, 100, 50), cpu(500), cpu(500));
    policies::Channel& ch = f.channel("weighted_round_robin", f.all, {{"blackout_period", "1s"}});
    testing::RpcLog log;
    f.load(ch, log, 100_ms, 2_s);
    const auto shares = f.load(ch, log, 3_s, 8_s);
    const int total = shares.at("a") + shares.at("b") + shares.at("c");
    REQUIRE(std::abs(shares.at("a") * 5 - total) <= total / 20);
    // With the penalty off, a counts as 100 / 0.5 like the others.
    Fixture g;
    g.start_all(cpu(500, 100, 50), cpu(500), cpu(500));
    policies::Channel& gch =
        g.channel("weighted_round_robin", g.all, {{"blackout_period", "1s"}, {"error_utilization_penalty", "0"}});
    testing::RpcLog glog;
    g.load(gch, glog, 100_ms, 2_s);
    const auto equal = g.load(gch, glog, 3_s, 8_s);
    REQUIRE(std::abs(equal.at("a") - equal.at("b")) <= 5);
}

TEST_CASE("weighted_round_robin: a backend without reports gets the mean weight of the others (A58; grpc-go "
          "TestBalancer_TwoAddresses_OOBThenPerCall's mean weight)",
          "[policies][weighted_round_robin]") {
    Fixture f;
    f.start_all(cpu(250), cpu(500), std::nullopt);  // weights 400 and 200; c gets their mean, 300
    policies::Channel& ch = f.channel("weighted_round_robin", f.all, {{"blackout_period", "1s"}});
    testing::RpcLog log;
    f.load(ch, log, 100_ms, 2_s);
    const auto shares = f.load(ch, log, 3_s, 9_s);
    const int total = shares.at("a") + shares.at("b") + shares.at("c");
    INFO("a " << shares.at("a") << " b " << shares.at("b") << " c " << shares.at("c"));
    REQUIRE(std::abs(shares.at("a") * 9 - total * 4) <= total / 10);
    REQUIRE(std::abs(shares.at("c") * 9 - total * 3) <= total / 10);
    REQUIRE(std::abs(shares.at("b") * 9 - total * 2) <= total / 10);
}

TEST_CASE("weighted_round_robin with fewer than two usable weights is round robin (A58), and a weight expires "
          "weight_expiration_period after its last report (A58: 3 min by default)",
          "[policies][weighted_round_robin]") {
    Fixture f;
    f.start_all(cpu(100), cpu(900), cpu(900));
    policies::Channel& ch =
        f.channel("weighted_round_robin", f.all, {{"blackout_period", "1s"}, {"weight_expiration_period", "5s"}});
    testing::RpcLog log;
    f.load(ch, log, 100_ms, 2_s);
    const auto weighted = f.load(ch, log, 3_s, 6_s);
    REQUIRE(weighted.at("a") > 5 * weighted.at("b"));  // 1000 against 111
    // b and c stop reporting: their weights expire 5 s after their last report; with a alone
    // usable the picker is round robin again.
    f.servers[1]->set_load_report(std::nullopt);
    f.servers[2]->set_load_report(std::nullopt);
    const auto after = f.load(ch, log, 13_s, 16_s);
    REQUIRE(std::abs(after.at("a") - after.at("b")) <= 2);
    REQUIRE(std::abs(after.at("a") - after.at("c")) <= 2);
    testing::require_every_rpc_ended(ch, log);
}

TEST_CASE("weighted_round_robin: a report changing over time moves traffic at the next weight update, without a "
          "new blackout (A58: weight_update_period 1 s; the blackout restarts only on a new connection)",
          "[policies][weighted_round_robin]") {
    Fixture f;
    f.start_all(cpu(200), cpu(200), cpu(200));
    policies::Channel& ch = f.channel("weighted_round_robin", f.all, {{"blackout_period", "2s"}});
    testing::RpcLog log;
    f.load(ch, log, 100_ms, 3_s);
    f.servers[2]->set_load_report(cpu(800));
    // c's next response carries the new report; the next weight update (each second) uses it.
    f.load(ch, log, 3200_ms, 4500_ms);
    const auto shifted = f.load(ch, log, 5_s, 10_s);
    const int total = shifted.at("a") + shifted.at("b") + shifted.at("c");
    REQUIRE(std::abs(shifted.at("c") * 9 - total) <= total / 20);
    REQUIRE(f.records("lb.weights").size() > 5);
}

TEST_CASE("weighted_round_robin configuration: durations, the 100 ms floor of weight_update_period, the penalty "
          "(A58 config; grpc-go TestParseConfig)",
          "[policies][weighted_round_robin]") {
    const policies::PolicyRegistry& r = policies::PolicyRegistry::builtin();
    auto error = [&](policies::PolicyConfig config) {
        const auto lookup = r.lookup("weighted_round_robin", config);
        REQUIRE(std::holds_alternative<policies::PolicyConfigError>(lookup));
        return std::get<policies::PolicyConfigError>(lookup);
    };
    REQUIRE(std::holds_alternative<policies::PolicyMaker>(r.lookup(
        "weighted_round_robin", {{"blackout_period", "0s"}, {"weight_expiration_period", "1m"},
                                 {"weight_update_period", "100ms"}, {"error_utilization_penalty", "0.25"}})));
    REQUIRE(error({{"weight_update_period", "50ms"}}).message ==
            "weight_update_period: expected a duration of at least 100ms (A58), got '50ms'");
    REQUIRE(error({{"blackout_period", "soon"}}).entry == 0u);
    REQUIRE(error({{"blackout_period", "1s"}, {"error_utilization_penalty", "-1"}}).entry == 1u);
    REQUIRE(error({{"enable_oob_load_report", "true"}}).message.starts_with(
        "weighted_round_robin has no option 'enable_oob_load_report'"));
}
