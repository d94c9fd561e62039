// The runner and its oracles, on small scenarios built with the C++ builder: each expectation
// kind holding and failing, the invariants, the port-holder diagnosis, early end, determinism.
#include "scenarios/builder.h"
#include "scenarios/report.h"
#include "scenarios/runner.h"

#include "tests/support/catch.h"

using namespace netsim;
using namespace netsim::scenarios;
using namespace netsim::literals;
using S = ConnectivityStateName;

namespace {

// One host, server a on 127.0.0.1:5000 (started), a pick_first channel to it.
ScenarioBuilder one_backend(ListenerStrategy listener = ListenerStrategy::reuseaddr) {
    ScenarioBuilder b("one_backend");
    b.host("machine");
    b.server("a").on("machine").at("127.0.0.1:5000").listener(listener).started();
    b.channel("client").on("machine").policy("pick_first").targets({"a"});
    b.end_at(10_s);
    return b;
}

std::vector<std::string> signatures(const RunReport& r) {
    std::vector<std::string> out;
    for (const Violation& v : r.violations) out.push_back(v.signature);
    return out;
}

}  // namespace

TEST_CASE("a scenario whose expectations hold passes, and ends once they are decided", "[scenarios][runner]") {
    ScenarioBuilder b = one_backend();
    b.at(10_ms).as("first").rpc("client").deadline(1_s);
    b.expect_states("client", {S::connecting, S::ready});
    b.expect_is("client", S::ready).within(1_s).after("first");
    b.expect_receives("a").within(1_s).after("first");
    const RunReport r = run_scenario(b.build(), 0);
    REQUIRE(signatures(r).empty());
    REQUIRE(r.holds);
    REQUIRE(r.ended < Instant::at(1_s));  // not the 10 s end: everything was decided
}

TEST_CASE("a restart on a port held by a holder fails with EADDRINUSE and names the holder", "[scenarios][runner]") {
    ScenarioBuilder b = one_backend(ListenerStrategy::plain);
    b.noise("squatter", NoiseKind::holders).on("machine").port(5000).rate(1000, 1_s).hold(2_s).from(20_ms).until(30_ms);
    b.at(10_ms).as("stop_a").stop("a");
    b.at(100_ms).as("restart_a").restart("a");
    b.expect_succeeds("restart_a");
    const Scenario s = b.build();
    RunOptions keep;
    keep.keep_records = true;
    const RunReport r = run_scenario(s, 3, keep);
    REQUIRE(signatures(r) == std::vector<std::string>{"expect restart_a succeeds: EADDRINUSE"});
    REQUIRE(r.violations[0].at == Instant::at(100_ms));
    REQUIRE(r.violations[0].detail.size() == 1);
    REQUIRE(r.violations[0].detail[0].starts_with("port 5000 held by squatter (CLOSED since 0.02"));
    const std::string report = format_report(s, r);
    REQUIRE(report.find("a server.start result=EADDRINUSE port=5000") != std::string::npos);
    REQUIRE(report.find("trace-hash: ") != std::string::npos);
}

TEST_CASE("expect fails with ERRNO holds when the step fails that way", "[scenarios][runner]") {
    ScenarioBuilder b("twice");
    b.host("machine");
    b.server("a").on("machine").at("127.0.0.1:5000").started();
    b.server("b").on("machine").at("127.0.0.1:5000").listener(ListenerStrategy::plain);
    b.at(1_ms).as("start_b").start("b");
    b.expect_fails("start_b").with(kernel::Errno::eaddrinuse);
    REQUIRE(run_scenario(b.build(), 0).holds);
}

TEST_CASE("exact state sequences and patterns are judged up to their horizon", "[scenarios][runner]") {
    ScenarioBuilder b = one_backend();
    b.at(10_ms).as("first").rpc("client");
    b.at(200_ms).as("stop_a").stop("a");
    b.expect_states("client", {S::connecting, S::ready, S::idle});
    b.expect_states_match("client", "CONNECTING READY (IDLE CONNECTING READY)* IDLE");
    REQUIRE(signatures(run_scenario(b.build(), 0)).empty());

    ScenarioBuilder wrong = one_backend();
    wrong.at(10_ms).as("first").rpc("client");
    wrong.expect_states("client", {S::connecting, S::transient_failure});
    wrong.expect_states_match("client", "IDLE+");
    REQUIRE(signatures(run_scenario(wrong.build(), 0)) ==
            std::vector<std::string>{"expect client states CONNECTING, TRANSIENT_FAILURE: state 2 was READY",
                                     "expect client states match \"IDLE+\": no match"});
}

TEST_CASE("a channel that never becomes READY fails `is READY within`", "[scenarios][runner]") {
    ScenarioBuilder b = one_backend();
    b.at(5_ms).as("stop_a").stop("a");
    b.at(10_ms).as("first").rpc("client").deadline(2_s).wait_for_ready();
    b.expect_is("client", S::ready).within(1_s).after("first");
    const RunReport r = run_scenario(b.build(), 0);
    REQUIRE(signatures(r) == std::vector<std::string>{"expect client is READY within 1s after first: not READY"});
    REQUIRE(r.violations[0].at == Instant::at(1010_ms));
}

TEST_CASE("success ratios count the RPCs started in the interval", "[scenarios][runner]") {
    ScenarioBuilder b = one_backend();
    b.rpcs("client").rate(10, 1_s).from(0_s).until(2_s).deadline(100_ms);
    b.at(1_s).as("stop_a").stop("a");  // fail-fast RPCs fail from here on
    b.expect_rpcs_ok("client", 90).until(1_s);
    b.expect_rpcs_ok("client", 90).from(1_s).until(2_s);
    const RunReport r = run_scenario(b.build(), 0);
    REQUIRE(signatures(r) == std::vector<std::string>{"expect client rpcs ok >= 90% from=1s until=2s: below ratio"});
}

TEST_CASE("never receives catches a backend that got traffic", "[scenarios][runner]") {
    ScenarioBuilder b = one_backend();
    b.at(10_ms).as("first").rpc("client");
    b.expect_never_receives("a");
    REQUIRE(signatures(run_scenario(b.build(), 0)) == std::vector<std::string>{"expect a never receives rpcs: received"});
}

TEST_CASE("expect no record finds the first record of the kind", "[scenarios][runner]") {
    ScenarioBuilder b = one_backend();
    b.at(10_ms).as("stop_a").stop("a");
    b.expect_no_record("server.stop");
    const RunReport r = run_scenario(b.build(), 0);
    REQUIRE(signatures(r) == std::vector<std::string>{"expect no record server.stop: record"});
    REQUIRE(r.violations[0].at == Instant::at(10_ms));
}

TEST_CASE("an RPC answered by a process that is not one of the channel's backends is a wrong server",
          "[scenarios][runner]") {
    // b takes a's port once a is gone; the channel, still resolving a's address, reaches b.
    ScenarioBuilder b("thief");
    b.host("machine");
    b.server("a").on("machine").at("127.0.0.1:5000").started();
    b.server("b").on("machine").at("127.0.0.1:5000");
    b.channel("client").on("machine").policy("pick_first").targets({"a"});
    b.at(10_ms).as("stop_a").stop("a");
    b.at(20_ms).as("start_b").start("b");
    b.at(30_ms).as("first").rpc("client");
    b.end_at(1_s);
    const RunReport r = run_scenario(b.build(), 0);
    REQUIRE(signatures(r) == std::vector<std::string>{"invariant: wrong server"});
    REQUIRE(r.violations[0].what.find("answered by b, not by a") != std::string::npos);
}

TEST_CASE("the same scenario and seed give the same trace hash; seeds pick window instants", "[scenarios][runner]") {
    ScenarioBuilder b = one_backend();
    b.at(10_ms, 90_ms).as("stop_a").stop("a");
    b.at(100_ms).as("first").rpc("client").deadline(1_s);
    const Scenario s = b.build();
    std::set<std::uint64_t> hashes;
    for (std::uint64_t seed = 0; seed < 20; ++seed) {
        REQUIRE(run_scenario(s, seed).trace_hash == run_scenario(s, seed).trace_hash);
        hashes.insert(run_scenario(s, seed).trace_hash);
    }
    REQUIRE(hashes.size() > 10);
}

TEST_CASE("an at-most ratio fails when too many RPCs succeed; a server share counts every OK RPC", "[scenarios][runner]") {
    ScenarioBuilder b = one_backend();
    b.rpcs("client").rate(10, 1_s).from(0_s).until(2_s).deadline(100_ms);
    b.at(1_s).as("stop_a").stop("a");
    b.expect_rpcs_ok("client", 0).at_most().from(1_s).until(2_s);  // holds: all fail after the stop
    b.expect_rpcs_ok("client", 50).at_most().until(1_s);           // fails: all succeed before it
    b.expect_rpcs_share("a", 100).until(2_s);                      // holds: a answered every OK RPC
    b.expect_rpcs_share("a", 50).at_most().until(2_s);             // fails
    const RunReport r = run_scenario(b.build(), 0);
    REQUIRE(signatures(r) == std::vector<std::string>{"expect client rpcs ok <= 50% until=1s: above ratio",
                                                      "expect a rpcs share <= 50% until=2s: above share"});
}
