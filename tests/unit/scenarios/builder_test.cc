#include "scenarios/builder.h"

#include "scenarios/model_diff.h"
#include "scenarios/parser.h"
#include "tests/support/catch.h"
#include "tests/unit/scenarios/full_example.h"

#include <stdexcept>

using namespace netsim;
using namespace netsim::scenarios;
using namespace netsim::literals;

namespace {

using S = ConnectivityStateName;

// full_example.h, statement by statement.
Scenario full_example_built() {
    ScenarioBuilder b("pick_first_restart");
    b.description("grpc-go TestPickFirstLeaf_StopConnectedServer_SecondServerToFirst (#7868)");
    b.param("listener", "reuseaddr");
    b.param("restart_delay", "1ms");
    b.param("port_range", "32768-60999");

    b.host("machine");
    b.host("h1").address("10.0.0.1");
    b.host("h2").addresses({"10.0.0.2", "fd00::2"});
    b.sysctl("machine").ip_local_port_range(32768, 60999);
    b.sysctl("machine").tcp_tw_reuse(1);
    b.sysctl("h1").time_wait(60_s);
    b.sysctl("h1").tcp_fin_timeout(30_s);
    b.link("h1", "h2").latency(5_ms).jitter(1_ms).loss(1, 100);

    b.server("a").on("machine").at("127.0.0.1:0").listener(ListenerStrategy::reuseaddr).service_time(1_ms, 3_ms).backlog(128).started();
    b.server("b").on("machine").at("[::1]:50051").listener(ListenerStrategy::plain);
    b.server("w").on("machine").at("127.0.0.1:0").listener(ListenerStrategy::wait_release).retry(10_ms).timeout(5_s);
    b.noise("tests", NoiseKind::listeners).on("machine").processes(8).rate(400, 1_s).hold(50_ms).reuseaddr().reuseport().at("127.0.0.1");
    b.noise("clients", NoiseKind::connects).on("machine").rate(100, 1_s).hold(100_ms).target("b");
    b.noise("raw", NoiseKind::connects).on("machine").rate(1, 100_ms).target("127.0.0.1:5000");
    b.noise("squatter", NoiseKind::holders).on("machine").port(5000).hold(2_s).rate(1, 1_s);
    b.channel("client").on("machine").policy("pick_first").targets({"a", "b"}).config("shuffle_address_list", "true");
    b.rpcs("client").rate(20, 1_s).from(0_s).until(10_s).deadline(1_s).wait_for_ready();

    b.at(10_ms).as("stop_a").stop("a");
    b.at(1_s, 3_s).as("jiggle").crash("b");
    b.after("stop_a", 1_ms).as("restart_a").restart("a");
    b.after("restart_a", 0_ms, 5_ms).as("step@30").rpc("client").count(3).deadline(5_s).wait_for_ready();
    b.when("client", S::ready).as("on_ready").stop("b");
    b.at(2_s).as("shuffle").in_any_order().stop("a").start("b");
    b.at(3_s).as("step@35").partition("h1", "h2");
    b.at(4_s).as("step@36").heal("h1", "h2");
    b.at(5_s).as("step@37").resolve("client", {"b", "a"});
    b.at(5_s).as("step@38").resolve("client");
    b.at(6_s).as("step@39").resolver_error("client");
    b.at(7_s).as("step@40").connect("client");
    b.at(8_s).as("step@41").graceful_stop("a");
    b.at(8_s).as("step@42").pause("w");
    b.at(9_s).as("step@43").resume("w");
    b.after("on_ready").as("step@44").start("w");

    b.expect_succeeds("restart_a");
    b.expect_fails("restart_a").with(kernel::Errno::eaddrinuse);
    b.expect_fails("jiggle");
    b.expect_states("client", {S::connecting, S::ready, S::idle, S::connecting, S::ready});
    b.expect_states_match("client", "CONNECTING READY (IDLE CONNECTING READY)*");
    b.expect_is("client", S::ready).within(5_s).after("restart_a");
    b.expect_is("client", S::idle).within(1_s);
    b.expect_rpcs_ok("client", 99).from(1_s).until(5_s);
    b.expect_rpcs_ok("client", 50);
    b.expect_receives("a").within(5_s).after("restart_a");
    b.expect_receives("a");
    b.expect_never_receives("b").after("stop_a");
    b.expect_never_receives("w");
    b.expect_no_record("bind.failed");
    b.end_at(10_s);
    return b.build();
}

std::string build_error(const ScenarioBuilder& b) {
    try {
        (void)b.build();
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    return "(built without error)";
}

ScenarioBuilder small_world() {
    ScenarioBuilder b("s");
    b.host("m");
    b.server("a").on("m").at("127.0.0.1:0");
    b.channel("c").on("m").targets({"a"});
    return b;
}

}  // namespace

TEST_CASE("the builder and the parser give the same model for the full example", "[scenarios]") {
    auto parsed = parse_scenario(testing::full_example, "full.scn");
    REQUIRE(std::holds_alternative<Scenario>(parsed));
    const std::vector<std::string> differences = model_differences(std::get<Scenario>(parsed), full_example_built());
    for (const std::string& d : differences) UNSCOPED_INFO(d);
    REQUIRE(differences.empty());
}

TEST_CASE("model_differences names each differing field", "[scenarios]") {
    Scenario a = full_example_built();
    Scenario b = a;
    b.servers[1].backlog = 64;
    b.steps[5].unordered = false;
    b.expectations.pop_back();
    b.servers[0].where.line = 99;  // locations are not compared
    REQUIRE(model_differences(a, b) == std::vector<std::string>{"servers[1].backlog: 128 vs 64",
                                                               "steps[5].unordered: true vs false",
                                                               "expectations: 14 entries vs 13"});
    REQUIRE(same_model(a, a));
}

TEST_CASE("unlabelled builder steps are numbered", "[scenarios]") {
    ScenarioBuilder b = small_world();
    b.at(1_s).stop("a");
    b.after("step#1", 1_s).start("a");
    const Scenario s = b.build();
    REQUIRE(s.steps[0].label == "step#1");
    REQUIRE(s.steps[1].label == "step#2");
    REQUIRE(s.steps[1].trigger.step == "step#1");
}

TEST_CASE("the builder rejects bad references with the parser's messages", "[scenarios]") {
    {
        ScenarioBuilder b = small_world();
        b.server("x").on("mach").at("127.0.0.1:0");
        REQUIRE(build_error(b) == "undefined host 'mach' (defined: m)");
    }
    {
        ScenarioBuilder b = small_world();
        b.at(1_s).stop("c");
        REQUIRE(build_error(b) == "'c' is a channel, not a server");
    }
    {
        ScenarioBuilder b = small_world();
        b.expect_succeeds("restart");
        REQUIRE(build_error(b) == "undefined step 'restart' (no step is defined)");
    }
    {
        ScenarioBuilder b = small_world();
        b.after("y").as("x").stop("a");
        b.after("x").as("y").stop("a");
        REQUIRE(build_error(b) == "'after' cycle: x after y after x");
    }
    {
        ScenarioBuilder b = small_world();
        b.channel("a").on("m");
        REQUIRE(build_error(b) == "duplicate name 'a': already defined as a server");
    }
    {
        ScenarioBuilder b = small_world();
        b.sysctl("nowhere").tcp_tw_reuse(1);
        REQUIRE(build_error(b) == "undefined host 'nowhere' (defined: m)");
    }
}

TEST_CASE("the builder rejects missing parts and malformed values", "[scenarios]") {
    {
        ScenarioBuilder b = small_world();
        b.server("x").on("m");
        REQUIRE(build_error(b) == "server 'x' is missing at(ADDR)");
    }
    {
        ScenarioBuilder b = small_world();
        b.noise("n", NoiseKind::holders).on("m").rate(1, 1_s);
        REQUIRE(build_error(b) == "noise 'n' is missing port(PORT)");
    }
    {
        ScenarioBuilder b = small_world();
        b.at(1_s).as("empty");
        REQUIRE(build_error(b) == "step 'empty' has no action");
    }
    {
        ScenarioBuilder b = small_world();
        b.expect_is("c", S::ready);
        REQUIRE(build_error(b) == "'expect c is READY within 0ns' is missing within(D)");
    }
    ScenarioBuilder b = small_world();
    REQUIRE_THROWS_WITH(b.server("y").at("127.0.0.1"),
                        "expected an address like 127.0.0.1:8080 or [::1]:8080, got '127.0.0.1'");
    REQUIRE_THROWS_WITH(b.at(3_s, 1_s), "window 3s..1s ends before it starts");
    REQUIRE_THROWS_WITH(b.host("n").address("127.0.0.1"), "host 'n': a host cannot own 127.0.0.1 (loopback: every host has it already)");
    b.host("o").address("10.0.0.1");
    REQUIRE_THROWS_WITH(b.host("p").address("::ffff:10.0.0.1"),
                        "host 'p': ::ffff:10.0.0.1 (the IPv4 address 10.0.0.1) is already an address of host o");
    REQUIRE_THROWS_WITH(b.server("w").retry(Duration::zero()), "retry=0ns is shorter than 1ms");
    REQUIRE_THROWS_WITH(b.at(1_s).stop("a").start("a"), "step 'step#1' has one action (use in_any_order() for a group)");
    REQUIRE_THROWS_WITH(b.at(1_s).stop("a").count(2), "step 'step#2': count() modifies an rpc() action, and none was just added");
    REQUIRE_THROWS_WITH(b.noise("l", NoiseKind::listeners).target("a"), "'target' does not apply to listeners noise");
    REQUIRE_THROWS_WITH(b.expect_states_match("c", "READY (IDLE"), "pattern \"READY (IDLE\" at offset 6: this '(' is never closed");
    REQUIRE_THROWS_WITH(b.expect_succeeds("x").within(1_s), "within() does not apply to 'expect x succeeds'");
}

TEST_CASE("the builder's load reports and key= options match the parser's", "[scenarios]") {
    const char* text =
        "scenario s\nhost m\nserver a on m at 127.0.0.1:0 load_cpu=80% load_qps=200 load_eps=1\nchannel c on m target=a\n"
        "rpcs c rate=10/s key=k1\nat 1s as x: load a cpu=20% qps=50\nat 2s as y: rpc c key=k2\n";
    auto parsed = parse_scenario(text, "t.scn");
    REQUIRE(std::holds_alternative<Scenario>(parsed));
    ScenarioBuilder b("s");
    b.host("m");
    b.server("a").on("m").at("127.0.0.1:0").load(80, 200, 1);
    b.channel("c").on("m").targets({"a"});
    b.rpcs("c").rate(10, 1_s).key("k1");
    b.at(1_s).as("x").load("a", 20, 50);
    b.at(2_s).as("y").rpc("c").key("k2");
    const std::vector<std::string> differences = model_differences(std::get<Scenario>(parsed), b.build());
    for (const std::string& d : differences) UNSCOPED_INFO(d);
    REQUIRE(differences.empty());
}

TEST_CASE("the builder's ratio expectations match the parser's", "[scenarios]") {
    const char* text =
        "scenario s\nhost m\nserver a on m at 127.0.0.1:0\nchannel c on m target=a\n"
        "expect c rpcs ok <= 5% from=1s until=2s\nexpect a rpcs share >= 30%\nexpect a rpcs share <= 60% until=3s\n";
    auto parsed = parse_scenario(text, "t.scn");
    REQUIRE(std::holds_alternative<Scenario>(parsed));
    ScenarioBuilder b("s");
    b.host("m");
    b.server("a").on("m").at("127.0.0.1:0");
    b.channel("c").on("m").targets({"a"});
    b.expect_rpcs_ok("c", 5).at_most().from(1_s).until(2_s);
    b.expect_rpcs_share("a", 30);
    b.expect_rpcs_share("a", 60).at_most().until(3_s);
    const std::vector<std::string> differences = model_differences(std::get<Scenario>(parsed), b.build());
    for (const std::string& d : differences) UNSCOPED_INFO(d);
    REQUIRE(differences.empty());
}
