// The README's builder example, compiled and run as it is printed there (keep the two the same).
#include "scenarios/builder.h"
#include "scenarios/report.h"
#include "scenarios/runner.h"

#include "tests/support/catch.h"

using namespace netsim::scenarios;
using namespace netsim::literals;
using S = ConnectivityStateName;

TEST_CASE("with grpc-go's restartable listener, pick_first finds the restarted server on its old port", "[scenarios][readme]") {
    ScenarioBuilder b("pick_first_restart");
    b.host("machine");
    b.sysctl("machine").ip_local_port_range(32768, 60999);
    b.server("a").on("machine").at("127.0.0.1:0").listener(ListenerStrategy::restartable).started();
    b.server("b").on("machine").at("127.0.0.1:0").listener(ListenerStrategy::restartable).started();
    b.noise("tests", NoiseKind::listeners).on("machine").processes(8).rate(400, 1_s).hold(50_ms).reuseaddr();
    b.noise("test_clients", NoiseKind::connects).on("machine").rate(200, 1_s).hold(100_ms).target("tests");
    b.channel("client").on("machine").policy("pick_first").targets({"a", "b"});
    b.at(10_ms).as("stop_a").stop("a");
    b.at(20_ms).as("first_rpc").rpc("client").deadline(5_s).wait_for_ready();
    b.after("first_rpc", 100_ms).as("stop_b").stop("b");
    b.after("stop_b", 1_ms).as("restart_a").restart("a");
    b.after("restart_a", 10_ms).as("rpcs_after_restart").rpc("client").count(5).deadline(5_s).wait_for_ready();
    b.expect_succeeds("restart_a");
    b.expect_states("client", {S::connecting, S::ready, S::idle, S::connecting, S::ready});
    b.expect_receives("a").within(5_s).after("restart_a");
    b.end_at(6_s);
    const Scenario s = b.build();
    for (std::uint64_t seed = 0; seed < 200; ++seed) {
        const RunReport r = run_scenario(s, seed);
        INFO(format_report(s, r));  // the violations and `trace-hash: ...`
        REQUIRE(r.holds);
    }
}
