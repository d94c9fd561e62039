// The excerpt collector keeps, from a streamed replay, exactly what a run that kept every
// record would show in its report.
#include "scenarios/builder.h"
#include "scenarios/excerpt_collector.h"
#include "scenarios/report.h"
#include "scenarios/runner.h"

#include "tests/support/catch.h"

using namespace netsim;
using namespace netsim::scenarios;
using namespace netsim::literals;

TEST_CASE("a report from collected excerpts equals the report from every record, with far fewer kept",
          "[scenarios][excerpt_collector]") {
    ScenarioBuilder b("held_port");
    b.host("machine");
    b.server("a").on("machine").at("127.0.0.1:5000").listener(ListenerStrategy::plain).started();
    b.channel("client").on("machine").policy("pick_first").targets({"a"});
    b.noise("squatter", NoiseKind::holders).on("machine").port(5000).rate(1000, 1_s).hold(2_s).from(20_ms).until(30_ms);
    b.at(10_ms).as("stop_a").stop("a");
    b.at(100_ms).as("restart_a").restart("a");
    b.at(200_ms).as("rpc").rpc("client").deadline(1_s);
    b.expect_succeeds("restart_a");
    b.expect_receives("a").within(1_s).after("rpc");
    b.end_at(3_s);
    const Scenario s = b.build();

    RunOptions keep;
    keep.keep_records = true;
    const RunReport everything = run_scenario(s, 3, keep);
    REQUIRE(everything.violations.size() == 2);

    RunReport streamed = run_scenario(s, 3);
    REQUIRE(streamed.trace.empty());
    ExcerptCollector collector(s, streamed.violations);
    RunOptions replay;
    replay.sink = &collector;
    REQUIRE(run_scenario(s, 3, replay).trace_hash == everything.trace_hash);
    streamed.trace = collector.records();
    REQUIRE(streamed.trace.size() <= 2 * 12);
    REQUIRE(streamed.trace.size() < everything.trace.size());
    REQUIRE(format_report(s, streamed) == format_report(s, everything));
}
