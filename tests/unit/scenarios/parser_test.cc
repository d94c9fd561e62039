#include "scenarios/parser.h"

#include "tests/support/catch.h"
#include "tests/unit/scenarios/full_example.h"

#include <cstdio>
#include <fstream>

using namespace netsim;
using namespace netsim::scenarios;
using namespace netsim::literals;

namespace {

Scenario parse_ok(std::string_view text, const ParamOverrides& overrides = {}) {
    auto result = parse_scenario(text, "t.scn", overrides);
    if (auto* error = std::get_if<ParseError>(&result)) FAIL("unexpected error: " << error->to_string());
    return std::get<Scenario>(std::move(result));
}

std::string parse_error(std::string_view text, const ParamOverrides& overrides = {}) {
    auto result = parse_scenario(text, "t.scn", overrides);
    if (std::holds_alternative<Scenario>(result)) return "(parsed without error)";
    return std::get<ParseError>(result).to_string();
}

// Two hosts, two servers and a channel, for the malformed lines that follow (from line 6).
const std::string world =
    "scenario s\n"
    "host m\n"
    "server a on m at 127.0.0.1:0\n"
    "server b on m at 127.0.0.1:0\n"
    "channel c on m target=a,b\n";

const Step& step_labelled(const Scenario& s, std::string_view label) {
    for (const Step& step : s.steps)
        if (step.label == label) return step;
    FAIL("no step " << label);
    return s.steps.front();
}

}  // namespace

// ---- every construct ----------------------------------------------------------------------

TEST_CASE("the heading: name, description, parameters and the end", "[scenarios]") {
    const Scenario s = parse_ok(testing::full_example);
    REQUIRE(s.name == "pick_first_restart");
    REQUIRE(s.description == "grpc-go TestPickFirstLeaf_StopConnectedServer_SecondServerToFirst (#7868)");
    REQUIRE(s.file == "t.scn");
    REQUIRE(s.params.size() == 3);
    REQUIRE(s.params[0].name == "listener");
    REQUIRE(s.params[0].value == "reuseaddr");
    REQUIRE(s.params[0].where.line == 4);
    REQUIRE(s.params[2].value == "32768-60999");
    REQUIRE(s.end == 10_s);
    REQUIRE(parse_ok("scenario s\n").end == 30_s);
}

TEST_CASE("hosts, sysctls and links", "[scenarios]") {
    const Scenario s = parse_ok(testing::full_example);
    REQUIRE(s.hosts.size() == 3);
    REQUIRE(s.hosts[0].name == "machine");
    REQUIRE(s.hosts[0].addresses.empty());
    REQUIRE(s.hosts[0].sysctls.ip_local_port_range == std::pair<net::Port, net::Port>{32768, 60999});
    REQUIRE(s.hosts[0].sysctls.tcp_tw_reuse == 1);
    REQUIRE_FALSE(s.hosts[0].sysctls.time_wait);
    REQUIRE(s.hosts[1].sysctls.time_wait == 60_s);
    REQUIRE(s.hosts[1].sysctls.tcp_fin_timeout == 30_s);
    REQUIRE(s.hosts[2].addresses.size() == 2);
    REQUIRE(s.hosts[2].addresses[0] == net::IpAddress::v4(10, 0, 0, 2));
    REQUIRE(s.hosts[2].addresses[1] == *net::IpAddress::parse("fd00::2"));
    REQUIRE(s.hosts[2].where.line == 10);
    REQUIRE(s.links.size() == 1);
    REQUIRE(s.links[0].a == "h1");
    REQUIRE(s.links[0].b == "h2");
    REQUIRE(s.links[0].link.latency == 5_ms);
    REQUIRE(s.links[0].link.jitter == 1_ms);
    REQUIRE(s.links[0].link.loss_numerator == 1);
    REQUIRE(s.links[0].link.loss_denominator == 100);
}

TEST_CASE("servers with every option, and their defaults", "[scenarios]") {
    const Scenario s = parse_ok(testing::full_example);
    REQUIRE(s.servers.size() == 3);
    const ServerSpec& a = s.servers[0];
    REQUIRE(a.name == "a");
    REQUIRE(a.host == "machine");
    REQUIRE(a.address == net::SocketAddress{net::IpAddress::loopback(net::IpFamily::v4), 0});
    REQUIRE(a.listener == ListenerStrategy::reuseaddr);
    REQUIRE(a.service_time.low == 1_ms);
    REQUIRE(a.service_time.high == 3_ms);
    REQUIRE(a.backlog == 128);
    REQUIRE(a.started);
    const ServerSpec& b = s.servers[1];
    REQUIRE(b.address == net::SocketAddress{net::IpAddress::loopback(net::IpFamily::v6), 50051});
    REQUIRE(b.listener == ListenerStrategy::plain);
    REQUIRE_FALSE(b.started);
    REQUIRE(b.service_time.low == 1_ms);
    const ServerSpec& w = s.servers[2];
    REQUIRE(w.listener == ListenerStrategy::wait_release);
    REQUIRE(w.retry == 10_ms);
    REQUIRE(w.timeout == 5_s);
}

TEST_CASE("noise of each kind", "[scenarios]") {
    const Scenario s = parse_ok(testing::full_example);
    REQUIRE(s.noise.size() == 4);
    const NoiseSpec& tests = s.noise[0];
    REQUIRE(tests.kind == NoiseKind::listeners);
    REQUIRE(tests.host == "machine");
    REQUIRE(tests.processes == 8);
    REQUIRE(tests.rate.events == 400);
    REQUIRE(tests.rate.per == 1_s);
    REQUIRE(tests.hold.low == 50_ms);
    REQUIRE(tests.options.reuseaddr);
    REQUIRE(tests.options.reuseport);
    REQUIRE(tests.address == net::IpAddress::v4(127, 0, 0, 1));
    const NoiseSpec& clients = s.noise[1];
    REQUIRE(clients.kind == NoiseKind::connects);
    REQUIRE(clients.target_server == "b");
    REQUIRE_FALSE(clients.target);
    REQUIRE(clients.hold.high == 100_ms);
    const NoiseSpec& raw = s.noise[2];
    REQUIRE(raw.target == net::SocketAddress{net::IpAddress::v4(127, 0, 0, 1), 5000});
    REQUIRE(raw.rate.per == 100_ms);
    const NoiseSpec& squatter = s.noise[3];
    REQUIRE(squatter.kind == NoiseKind::holders);
    REQUIRE(squatter.port == 5000);
    REQUIRE(squatter.hold.low == 2_s);
    REQUIRE(squatter.processes == 1);
}

TEST_CASE("flags may be written flag=true or flag=false; a connects target may name noise", "[scenarios]") {
    const Scenario s = parse_ok(world +
                                "param reuse = false\n"
                                "noise tests listeners on m rate=1/s reuseaddr=true reuseport=$reuse\n"
                                "noise clients connects on m rate=1/s target=tests\n"
                                "rpcs c rate=1/s wait_for_ready=false\n");
    REQUIRE(s.noise[0].options.reuseaddr);
    REQUIRE_FALSE(s.noise[0].options.reuseport);
    REQUIRE(s.noise[1].target_server == "tests");
    REQUIRE_FALSE(s.workloads[0].wait_for_ready);
    REQUIRE_FALSE(parse_ok(world + "server x on m at 127.0.0.1:0 started=false\n").servers[2].started);
}

TEST_CASE("channels keep unknown keys as policy config, in order; rpcs workloads", "[scenarios]") {
    const Scenario s = parse_ok(testing::full_example);
    REQUIRE(s.channels.size() == 1);
    const ChannelSpec& c = s.channels[0];
    REQUIRE(c.name == "client");
    REQUIRE(c.policy == "pick_first");
    REQUIRE(c.targets == std::vector<std::string>{"a", "b"});
    REQUIRE(c.policy_config == std::vector<std::pair<std::string, std::string>>{{"shuffle_address_list", "true"}});
    const Scenario two =
        parse_ok(world + "channel d on m policy=pick_first_leaf connection_attempt_delay=100ms shuffle_address_list=true\n");
    REQUIRE(two.channels[1].policy == "pick_first_leaf");
    REQUIRE(two.channels[1].policy_config == std::vector<std::pair<std::string, std::string>>{
                                                 {"connection_attempt_delay", "100ms"}, {"shuffle_address_list", "true"}});
    REQUIRE(s.workloads.size() == 1);
    const WorkloadSpec& w = s.workloads[0];
    REQUIRE(w.channel == "client");
    REQUIRE(w.rate.events == 20);
    REQUIRE(w.from == 0_s);
    REQUIRE(w.until == 10_s);
    REQUIRE(w.deadline == 1_s);
    REQUIRE(w.wait_for_ready);
}

TEST_CASE("steps: at, windows, after with a delay, when; every action", "[scenarios]") {
    const Scenario s = parse_ok(testing::full_example);
    REQUIRE(s.steps.size() == 16);
    const Step& stop_a = step_labelled(s, "stop_a");
    REQUIRE(stop_a.trigger.kind == Trigger::Kind::at);
    REQUIRE(stop_a.trigger.offset.low == 10_ms);
    REQUIRE(stop_a.trigger.offset.high == 10_ms);
    REQUIRE(stop_a.actions.size() == 1);
    REQUIRE(stop_a.actions[0].kind == ActionKind::stop);
    REQUIRE(stop_a.actions[0].subject == "a");
    REQUIRE(stop_a.where.line == 27);
    REQUIRE(stop_a.actions[0].where.column == 20);
    const Step& jiggle = step_labelled(s, "jiggle");
    REQUIRE(jiggle.trigger.offset.low == 1_s);
    REQUIRE(jiggle.trigger.offset.high == 3_s);
    REQUIRE(jiggle.actions[0].kind == ActionKind::crash);
    const Step& restart_a = step_labelled(s, "restart_a");
    REQUIRE(restart_a.trigger.kind == Trigger::Kind::after);
    REQUIRE(restart_a.trigger.step == "stop_a");
    REQUIRE(restart_a.trigger.offset.low == 1_ms);
    REQUIRE(restart_a.actions[0].kind == ActionKind::restart);
    const Step& rpc = step_labelled(s, "step@30");
    REQUIRE(rpc.trigger.step == "restart_a");
    REQUIRE(rpc.trigger.offset.low == 0_ms);
    REQUIRE(rpc.trigger.offset.high == 5_ms);
    REQUIRE(rpc.actions[0].kind == ActionKind::rpc);
    REQUIRE(rpc.actions[0].subject == "client");
    REQUIRE(rpc.actions[0].count == 3);
    REQUIRE(rpc.actions[0].deadline == 5_s);
    REQUIRE(rpc.actions[0].wait_for_ready);
    const Step& on_ready = step_labelled(s, "on_ready");
    REQUIRE(on_ready.trigger.kind == Trigger::Kind::when_state);
    REQUIRE(on_ready.trigger.channel == "client");
    REQUIRE(on_ready.trigger.state == ConnectivityStateName::ready);
    const Step& partition = step_labelled(s, "step@35");
    REQUIRE(partition.actions[0].kind == ActionKind::partition);
    REQUIRE(partition.actions[0].subject == "h1");
    REQUIRE(partition.actions[0].other == "h2");
    REQUIRE(step_labelled(s, "step@36").actions[0].kind == ActionKind::heal);
    const Action& resolve = step_labelled(s, "step@37").actions[0];
    REQUIRE(resolve.kind == ActionKind::resolve);
    REQUIRE(resolve.addresses == std::vector<std::string>{"b", "a"});
    REQUIRE(step_labelled(s, "step@38").actions[0].addresses.empty());
    REQUIRE(step_labelled(s, "step@39").actions[0].kind == ActionKind::resolver_error);
    REQUIRE(step_labelled(s, "step@40").actions[0].kind == ActionKind::connect);
    REQUIRE(step_labelled(s, "step@41").actions[0].kind == ActionKind::graceful_stop);
    REQUIRE(step_labelled(s, "step@42").actions[0].kind == ActionKind::pause);
    REQUIRE(step_labelled(s, "step@43").actions[0].kind == ActionKind::resume);
    const Step& last = step_labelled(s, "step@44");
    REQUIRE(last.trigger.step == "on_ready");
    REQUIRE(last.trigger.offset.low == Duration::zero());
    REQUIRE(last.actions[0].kind == ActionKind::start);
    REQUIRE(last.actions[0].subject == "w");
}

TEST_CASE("an unordered group takes the lines indented below it", "[scenarios]") {
    const Scenario s = parse_ok(testing::full_example);
    const Step& shuffle = step_labelled(s, "shuffle");
    REQUIRE(shuffle.unordered);
    REQUIRE(shuffle.actions.size() == 2);
    REQUIRE(shuffle.actions[0].kind == ActionKind::stop);
    REQUIRE(shuffle.actions[0].where.line == 33);
    REQUIRE(shuffle.actions[0].where.column == 3);
    REQUIRE(shuffle.actions[1].kind == ActionKind::start);
    REQUIRE(shuffle.actions[1].subject == "b");
    REQUIRE_FALSE(step_labelled(s, "step@35").unordered);

    // The group ends at the first line indented no deeper than its header, even an indented one.
    const Scenario nested = parse_ok(world +
                                     "  at 1s: in any order\n"
                                     "      stop a\n"
                                     "    \tstop b\n"
                                     "  at 2s: start a\n");
    REQUIRE(nested.steps.size() == 2);
    REQUIRE(nested.steps[0].actions.size() == 2);
    REQUIRE(nested.steps[1].label == "step@9");
}

TEST_CASE("steps without a label are labelled step@LINE", "[scenarios]") {
    const Scenario s = parse_ok(world +
                                "\n"
                                "# a comment line still counts\n"
                                "at 1s: stop a\n"
                                "after step@8 + 1s: start a\n");
    REQUIRE(s.steps[0].label == "step@8");
    REQUIRE(s.steps[1].label == "step@9");
}

TEST_CASE("expectations of every kind", "[scenarios]") {
    const Scenario s = parse_ok(testing::full_example);
    const auto& e = s.expectations;
    REQUIRE(e.size() == 14);
    REQUIRE(e[0].kind == Expectation::Kind::step_succeeds);
    REQUIRE(e[0].subject == "restart_a");
    REQUIRE(e[1].kind == Expectation::Kind::step_fails);
    REQUIRE(e[1].error == kernel::Errno::eaddrinuse);
    REQUIRE_FALSE(e[2].error);
    REQUIRE(e[3].kind == Expectation::Kind::states_exactly);
    REQUIRE(e[3].states == std::vector<ConnectivityStateName>{ConnectivityStateName::connecting, ConnectivityStateName::ready,
                                                             ConnectivityStateName::idle, ConnectivityStateName::connecting,
                                                             ConnectivityStateName::ready});
    REQUIRE(e[4].kind == Expectation::Kind::states_match);
    REQUIRE(e[4].pattern == "CONNECTING READY (IDLE CONNECTING READY)*");
    REQUIRE(e[5].kind == Expectation::Kind::reaches_state);
    REQUIRE(e[5].state == ConnectivityStateName::ready);
    REQUIRE(e[5].within == 5_s);
    REQUIRE(e[5].after_step == "restart_a");
    REQUIRE_FALSE(e[6].after_step);
    REQUIRE(e[7].kind == Expectation::Kind::success_ratio);
    REQUIRE(e[7].ratio_percent == 99);
    REQUIRE(e[7].from == 1_s);
    REQUIRE(e[7].until == 5_s);
    REQUIRE_FALSE(e[8].from);
    REQUIRE(e[9].kind == Expectation::Kind::server_receives);
    REQUIRE(e[9].within == 5_s);
    REQUIRE(e[9].after_step == "restart_a");
    REQUIRE_FALSE(e[10].within);
    REQUIRE(e[11].kind == Expectation::Kind::server_never_receives);
    REQUIRE(e[11].after_step == "stop_a");
    REQUIRE(e[13].kind == Expectation::Kind::no_record);
    REQUIRE(e[13].subject == "bind.failed");
    REQUIRE(e[13].where.line == 59);
}

TEST_CASE("an expectation's text is its canonical spelling", "[scenarios]") {
    const Scenario s = parse_ok(world + "expect   c states CONNECTING,READY   # spaced oddly\n"
                                        "expect c rpcs ok >= 99% until=5s from=1s\n");
    REQUIRE(s.expectations[0].text == "expect c states CONNECTING, READY");
    REQUIRE(s.expectations[1].text == "expect c rpcs ok >= 99% from=1s until=5s");
}

TEST_CASE("comments, quotes and names used before their definition", "[scenarios]") {
    const Scenario s = parse_ok("scenario s   # the name\n"
                                "description \"a # in quotes, and a \\\"quote\\\"\"  # a comment\n"
                                "channel c on m target=a\n"
                                "host m\n"
                                "server a on m at 127.0.0.1:0\n");
    REQUIRE(s.description == "a # in quotes, and a \"quote\"");
    REQUIRE(s.channels[0].targets == std::vector<std::string>{"a"});
}

// ---- parameters ---------------------------------------------------------------------------

TEST_CASE("$param in every value position", "[scenarios]") {
    const Scenario s = parse_ok("scenario s\n"
                                "param t = 2s\n"
                                "param w = 1ms..2ms\n"
                                "param ip = 10.0.0.9\n"
                                "param addr = [::1]:80\n"
                                "param range = 40000-40010\n"
                                "param state = IDLE\n"
                                "param err = ECONNREFUSED\n"
                                "param pct = 90%\n"
                                "param servers = b,a\n"
                                "host m $ip\n"
                                "sysctl m ip_local_port_range = $range\n"
                                "sysctl m time_wait=$t\n"
                                "server a on m at $addr service_time=$w\n"
                                "server b on m at 127.0.0.1:0\n"
                                "channel c on m target=$servers\n"
                                "at $w as first: resolve c $servers\n"
                                "after first + $t: rpc c deadline=$t\n"
                                "when c is $state: stop a\n"
                                "expect first fails with $err\n"
                                "expect c is $state within $t\n"
                                "expect c rpcs ok >= $pct\n"
                                "end at $t\n");
    REQUIRE(s.hosts[0].addresses[0] == net::IpAddress::v4(10, 0, 0, 9));
    REQUIRE(s.hosts[0].sysctls.ip_local_port_range == std::pair<net::Port, net::Port>{40000, 40010});
    REQUIRE(s.hosts[0].sysctls.time_wait == 2_s);
    REQUIRE(s.servers[0].address.port == 80);
    REQUIRE(s.servers[0].service_time.high == 2_ms);
    REQUIRE(s.channels[0].targets == std::vector<std::string>{"b", "a"});
    REQUIRE(s.steps[0].trigger.offset.low == 1_ms);
    REQUIRE(s.steps[0].trigger.offset.high == 2_ms);
    REQUIRE(s.steps[0].actions[0].addresses == std::vector<std::string>{"b", "a"});
    REQUIRE(s.steps[1].trigger.offset.low == 2_s);
    REQUIRE(s.steps[1].actions[0].deadline == 2_s);
    REQUIRE(s.steps[2].trigger.state == ConnectivityStateName::idle);
    REQUIRE(s.expectations[0].error == kernel::Errno::econnrefused);
    REQUIRE(s.expectations[1].within == 2_s);
    REQUIRE(s.expectations[2].ratio_percent == 90);
    REQUIRE(s.end == 2_s);
}

TEST_CASE("a parameter may be declared after its use", "[scenarios]") {
    const Scenario s = parse_ok("scenario s\nend at $t\nparam t = 3s\n");
    REQUIRE(s.end == 3_s);
}

TEST_CASE("--set replaces a declared parameter's default before substitution", "[scenarios]") {
    const std::string text = "scenario s\nparam a = 1s\nparam b = 2s\nend at $b\n";
    const Scenario s = parse_ok(text, {{"b", "7s"}});
    REQUIRE(s.end == 7_s);
    REQUIRE(s.params[1].value == "7s");
    REQUIRE(s.params[0].value == "1s");
    REQUIRE(parse_error(text, {{"x", "1"}}) == "t.scn: unknown parameter 'x' (declared: a, b)");
    REQUIRE(parse_error("scenario s\n", {{"x", "1"}}) == "t.scn: unknown parameter 'x' (no parameter is declared)");
    // A bad value from --set is reported where the parameter is used.
    REQUIRE(parse_error(text, {{"b", "5 seconds"}}) ==
            "t.scn:4:8: expected a duration like 250ms or 2s, got '5 seconds' (the value of $b)");
}

TEST_CASE("parse_scenario_file reads a file; a missing file or a directory is an error at line 0", "[scenarios]") {
    const std::string path = "parser_test_full_example.scn";
    {
        std::ofstream out(path);
        out << testing::full_example;
    }
    auto result = parse_scenario_file(path, {{"restart_delay", "2ms"}});
    std::remove(path.c_str());
    REQUIRE(std::holds_alternative<Scenario>(result));
    const Scenario& s = std::get<Scenario>(result);
    REQUIRE(s.file == path);
    REQUIRE(step_labelled(s, "restart_a").trigger.offset.low == 2_ms);
    auto missing = parse_scenario_file("no/such/file.scn");
    REQUIRE(std::holds_alternative<ParseError>(missing));
    REQUIRE(std::get<ParseError>(missing).where.line == 0);
    REQUIRE(std::get<ParseError>(missing).to_string() == "no/such/file.scn: cannot read the file");
    // A directory opens as a stream on Linux and reads as nothing: it must not parse as an empty file.
    auto directory = parse_scenario_file(".");
    REQUIRE(std::holds_alternative<ParseError>(directory));
    REQUIRE(std::get<ParseError>(directory).to_string() == ".: cannot read the file (a directory)");
}

// ---- malformed input: every error names its line and column -------------------------------

TEST_CASE("a UTF-8 byte-order mark before the first line is not part of it", "[scenarios]") {
    const Scenario s = parse_ok("\xEF\xBB\xBFscenario s\nhost m\nend at 1s\n");
    REQUIRE(s.name == "s");
    REQUIRE(parse_error("\xEF\xBB\xBFscenari s\n").starts_with("t.scn:1:1: "));
}

TEST_CASE("a file must name its scenario first, and only once", "[scenarios]") {
    REQUIRE(parse_error("# just a comment\nhost m\n") ==
            "t.scn:1:1: missing 'scenario NAME' (the first statement of a file names its scenario)");
    REQUIRE(parse_error("") == "t.scn:1:1: missing 'scenario NAME' (the first statement of a file names its scenario)");
    REQUIRE(parse_error("host m\nscenario s\n") == "t.scn:1:1: 'scenario NAME' must come before any other statement");
    REQUIRE(parse_error("scenario s\nscenario t\n") == "t.scn:2:1: a second 'scenario' line (a file describes one scenario)");
    REQUIRE(parse_error("scenario s t\n") == "t.scn:1:12: unexpected 't' after the statement (usage: scenario NAME)");
}

TEST_CASE("unknown statements, keys, actions and expectations", "[scenarios]") {
    REQUIRE(parse_error(world + "sever x on m at 127.0.0.1:0\n")
                .starts_with("t.scn:6:1: unknown statement 'sever' (expected scenario, description, param, host,"));
    REQUIRE(parse_error(world + "server x on m at 127.0.0.1:0 listner=plain\n") ==
            "t.scn:6:30: unknown key 'listner' for server (expected listener=, service_time=, backlog=, retry=, "
            "timeout=, started, load_cpu=, load_qps=, load_eps=)");
    REQUIRE(parse_error(world + "at 1s: stopp a\n").starts_with("t.scn:6:8: unknown action 'stopp' (expected start, stop,"));
    REQUIRE(parse_error(world + "expect a crashes\n").starts_with("t.scn:6:10: unknown expectation 'crashes'"));
    REQUIRE(parse_error(world + "sysctl m tcp_tw = 1\n") ==
            "t.scn:6:10: unknown sysctl 'tcp_tw' (expected ip_local_port_range, tcp_tw_reuse, time_wait or "
            "tcp_fin_timeout)");
    REQUIRE(parse_error(world + "noise n sprayers on m rate=1/s\n") ==
            "t.scn:6:9: unknown noise kind 'sprayers' (expected listeners, connects or holders)");
}

TEST_CASE("bad values say what was expected", "[scenarios]") {
    REQUIRE(parse_error(world + "rpcs c rate=20/sec\n") ==
            "t.scn:6:13: expected a rate like 200/s, 5/ms or 1/100ms, got '20/sec'");
    REQUIRE(parse_error(world + "expect c rpcs ok >= 99\n") == "t.scn:6:21: expected a percentage like 99%, got '99'");
    REQUIRE(parse_error(world + "server x on m at 127.0.0.1\n") ==
            "t.scn:6:18: expected an address like 127.0.0.1:8080 or [::1]:8080, got '127.0.0.1'");
    REQUIRE(parse_error(world + "noise n holders on m port=99999 rate=1/s\n") ==
            "t.scn:6:27: expected a port (0..65535), got '99999'");
    REQUIRE(parse_error(world + "when c is ready: stop a\n") ==
            "t.scn:6:11: expected a connectivity state (IDLE, CONNECTING, READY, TRANSIENT_FAILURE or SHUTDOWN), got "
            "'ready' (state names are upper case)");
    REQUIRE(parse_error(world + "at 1s as x: stop a\nexpect x fails with EADDRINUS\n")
                .starts_with("t.scn:7:21: expected an errno name (EBADF, "));
    REQUIRE(parse_error(world + "expect c states CONNECTING, ready\n").starts_with("t.scn:6:29: expected a connectivity state"));
    REQUIRE(parse_error(world + "at 3s..1s: stop a\n") == "t.scn:6:4: window 3s..1s ends before it starts");
    REQUIRE(parse_error(world + "link m n latency=5\n").find("expected a duration like 250ms or 2s, got '5'") !=
            std::string::npos);
    REQUIRE(parse_error(world + "sysctl m ip_local_port_range = 80-90\n") ==
            "t.scn:6:32: ip_local_port_range must start at 1024 or above, got '80-90'");
    REQUIRE(parse_error(world + "expect c states match \"CONNECTING (READY\"\n") == "t.scn:6:35: this '(' is never closed");
    REQUIRE(parse_error(world + "expect c states match \"READY **\"\n") == "t.scn:6:31: '*' must follow a state or a group");
    REQUIRE(parse_error(world + "server x on m at 127.0.0.1:0 backlog=1 backlog=2\n") == "t.scn:6:40: 'backlog' given twice");
    REQUIRE(parse_error(world + "server x on m at 127.0.0.1:0 started=yes\n") == "t.scn:6:38: expected true or false, got 'yes'");
    REQUIRE(parse_error(world + "rpcs c rate=1/s from=5s until=1s\n") == "t.scn:6:25: until=1s is before from=5s");
}

TEST_CASE("a host owns specific unicast addresses, each owned by one host; loopback it has already",
          "[scenarios]") {
    REQUIRE(parse_error(world + "host n 127.0.0.1\n") == "t.scn:6:8: a host cannot own 127.0.0.1 (loopback: every host has it already)");
    REQUIRE(parse_error(world + "host n ::1\n") == "t.scn:6:8: a host cannot own ::1 (loopback: every host has it already)");
    REQUIRE(parse_error(world + "host n 0.0.0.0\n") == "t.scn:6:8: a host cannot own 0.0.0.0 (the unspecified address)");
    REQUIRE(parse_error(world + "host n ::\n") == "t.scn:6:8: a host cannot own :: (the unspecified address)");
    REQUIRE(parse_error(world + "host n 255.255.255.255\n") == "t.scn:6:8: a host cannot own 255.255.255.255 (broadcast)");
    REQUIRE(parse_error(world + "host n 224.0.0.1\n") == "t.scn:6:8: a host cannot own 224.0.0.1 (multicast)");
    REQUIRE(parse_error(world + "host n ff02::1\n") == "t.scn:6:8: a host cannot own ff02::1 (multicast)");
    REQUIRE(parse_error(world + "host n 10.0.0.1 10.0.0.1\n") == "t.scn:6:17: 10.0.0.1 is already an address of this host");
    REQUIRE(parse_error(world + "host n 10.0.0.1\nhost o 10.0.0.2 10.0.0.1\n") ==
            "t.scn:7:17: 10.0.0.1 is already an address of host n");
    REQUIRE(parse_error(world + "host n 10.0.0.1\nhost o ::ffff:10.0.0.1\n") ==
            "t.scn:7:8: ::ffff:10.0.0.1 (the IPv4 address 10.0.0.1) is already an address of host n");
    const Scenario ok = parse_ok(world + "host n 10.0.0.1 fd00::1\nhost o 10.0.0.2\nend at 1s\n");
    REQUIRE(ok.hosts.size() == 3);
    REQUIRE(ok.hosts[1].addresses.size() == 2);
}

TEST_CASE("a wait_release server retries its bind at least a millisecond apart", "[scenarios]") {
    REQUIRE(parse_error(world + "server w on m at 127.0.0.1:0 listener=wait_release retry=0s\n") ==
            "t.scn:6:58: retry=0s is shorter than 1ms: a restart tries to bind once per retry until timeout=");
    REQUIRE(parse_error(world + "server w on m at 127.0.0.1:0 retry=1ns\n").starts_with("t.scn:6:36: retry=1ns is shorter than 1ms"));
    const Scenario ok = parse_ok(world + "server w on m at 127.0.0.1:0 listener=wait_release retry=1ms\nend at 1s\n");
    REQUIRE(ok.servers.back().retry == Duration::milliseconds(1));
}

TEST_CASE("a parameter's bad value is reported at the $name", "[scenarios]") {
    REQUIRE(parse_error(world + "param d = \"5 seconds\"\nend at $d\n") ==
            "t.scn:7:8: expected a duration like 250ms or 2s, got '5 seconds' (the value of $d)");
    REQUIRE(parse_error(world + "param l = reuse\nserver x on m at 127.0.0.1:0 listener=$l\n") ==
            "t.scn:7:39: expected a listener strategy (plain, reuseaddr, restartable, reuseport, wait_release or "
            "random_port), got 'reuse' (the value of $l)");
    REQUIRE(parse_error(world + "at $later: stop a\n") == "t.scn:6:4: undefined parameter 'later' (no parameter is declared)");
    REQUIRE(parse_error(world + "param p = 1s\nparam q = 2s\nafter x + $r: stop a\n") ==
            "t.scn:8:11: undefined parameter 'r' (declared: p, q)");
    REQUIRE(parse_error(world + "param p = 1s\nparam p = 2s\n") == "t.scn:7:7: duplicate parameter 'p' (first declared at line 6)");
}

TEST_CASE("duplicate and undefined names, kinds and after cycles", "[scenarios]") {
    REQUIRE(parse_error(world + "channel a on m\n") == "t.scn:6:9: duplicate name 'a': already defined as a server at line 3");
    REQUIRE(parse_error(world + "host m\n") == "t.scn:6:6: duplicate name 'm': already defined as a host at line 2");
    REQUIRE(parse_error(world + "at 1s as x: stop a\nat 2s as x: stop b\n") ==
            "t.scn:7:10: duplicate name 'x': already defined as a step at line 6");
    REQUIRE(parse_error(world + "server x on mach at 127.0.0.1:0\n") == "t.scn:6:13: undefined host 'mach' (defined: m)");
    REQUIRE(parse_error(world + "after nothing: stop a\n") == "t.scn:6:7: undefined step 'nothing' (defined: step@6)");
    REQUIRE(parse_error(world + "rpcs nochan rate=1/s\n") == "t.scn:6:6: undefined channel 'nochan' (defined: c)");
    REQUIRE(parse_error(world + "noise n connects on m rate=1/s target=z\n") ==
            "t.scn:6:39: undefined server or noise 'z' (defined: a, b, n)");
    REQUIRE(parse_error(world + "at 1s: stop c\n") == "t.scn:6:13: 'c' is a channel, not a server");
    REQUIRE(parse_error(world + "expect a succeeds\n") == "t.scn:6:8: undefined step 'a' (no step is defined)");
    REQUIRE(parse_error(world + "after y as x: stop a\nafter x as y: stop b\n") == "t.scn:6:7: 'after' cycle: x after y after x");
    REQUIRE(parse_error(world + "after x as x: stop a\n") == "t.scn:6:7: 'after' cycle: x after x");
}

TEST_CASE("missing parts, trailing words and quotes", "[scenarios]") {
    REQUIRE(parse_error(world + "server x\n") ==
            "t.scn:6:9: missing 'on' (usage: server NAME on HOST at ADDR:PORT [KEY=VALUE...] [started])");
    REQUIRE(parse_error(world + "server x on m 127.0.0.1:0\n") ==
            "t.scn:6:15: expected 'at', got '127.0.0.1:0' (usage: server NAME on HOST at ADDR:PORT [KEY=VALUE...] "
            "[started])");
    REQUIRE(parse_error(world + "noise n listeners on m\n") ==
            "t.scn:6:23: missing rate= (usage: noise NAME listeners|connects|holders on HOST rate=R [KEY=VALUE...])");
    REQUIRE(parse_error(world + "noise n holders on m rate=1/s\n") ==
            "t.scn:6:22: missing port= (holders noise holds one fixed port)");
    REQUIRE(parse_error(world + "noise n listeners on m rate=1/s target=a\n") ==
            "t.scn:6:33: 'target' does not apply to listeners noise");
    REQUIRE(parse_error(world + "at 1s stop a\n") ==
            "t.scn:6:7: expected ':' before the action, got 'stop' (usage: at TIME [as LABEL]: ACTION)");
    REQUIRE(parse_error(world + "at 1s:\n").starts_with("t.scn:6:7: missing the action (expected start, stop,"));
    REQUIRE(parse_error(world + "at 1s: stop a now\n") == "t.scn:6:15: unexpected 'now' after the statement (usage: stop SERVER)");
    REQUIRE(parse_error(world + "expect c is READY\n").starts_with("t.scn:6:18: missing 'within'"));
    REQUIRE(parse_error(world + "description \"oops\n") == "t.scn:6:13: unterminated quote (the \" here is never closed)");
    REQUIRE(parse_error(world + "end at 1s\nend at 2s\n") == "t.scn:7:1: a second 'end' line (the first is at line 6)");
    REQUIRE(parse_error(world + "link m m\n") == "t.scn:6:8: a link joins two hosts, got 'm' twice");
}

TEST_CASE("unordered groups need actions on deeper lines", "[scenarios]") {
    REQUIRE(parse_error(world + "at 1s: in any order\nexpect c is READY within 1s\n") ==
            "t.scn:6:8: 'in any order' needs at least one action on the indented lines below it");
    REQUIRE(parse_error(world + "at 1s: in any order\n  stop a\n  expect c is READY within 1s\n")
                .starts_with("t.scn:8:3: unknown action 'expect'"));
    REQUIRE(parse_error(world + "at 1s: in some order\n  stop a\n") ==
            "t.scn:6:11: expected 'any', got 'some' (usage: ... : in any order)");
}

TEST_CASE("a channel's policy must be registered and accept its configuration, checked where it is written",
          "[scenarios]") {
    REQUIRE(parse_error(world + "channel d on m policy=round_robin_v2\n") ==
            "t.scn:6:23: unknown policy 'round_robin_v2' (known: least_request, pick_first, pick_first_leaf, ring_hash, round_robin, weighted_round_robin)");
    REQUIRE(parse_error(world + "channel d on m policy=pick_first shuffle=yes\n") ==
            "t.scn:6:34: pick_first has no option 'shuffle' (options: shuffle_address_list)");
    REQUIRE(parse_error(world + "channel d on m policy=pick_first shuffle_address_list=maybe\n").starts_with("t.scn:6:34: "));
}

TEST_CASE("a states list ends at 'within': states S, S within D after LABEL", "[scenarios]") {
    const Scenario s = parse_ok(world + "at 1s as x: stop a\nexpect c states CONNECTING, READY within 2s after x\n"
                                        "expect c states CONNECTING within 250ms\n");
    REQUIRE(s.expectations[0].states.size() == 2);
    REQUIRE(s.expectations[0].within == 2_s);
    REQUIRE(s.expectations[0].after_step == "x");
    REQUIRE(s.expectations[1].states.size() == 1);
    REQUIRE(s.expectations[1].within == 250_ms);
    REQUIRE(s.expectations[1].text == "expect c states CONNECTING within 250ms");
}

TEST_CASE("rpc and rpcs take key=K, the request hash key of ring_hash (gRFC A76)", "[scenarios]") {
    const Scenario s = parse_ok(world + "rpcs c rate=10/s key=user4\nat 1s: rpc c key=user7 count=2\n");
    REQUIRE(s.workloads[0].key == "user4");
    REQUIRE(s.steps[0].actions[0].key == "user7");
    REQUIRE_FALSE(parse_ok(world + "rpcs c rate=10/s\n").workloads[0].key.has_value());
}

TEST_CASE("servers publish load reports (load_cpu=, load_qps=, load_eps=) and the load action changes them",
          "[scenarios]") {
    const Scenario s = parse_ok("scenario s\nhost m\nserver a on m at 127.0.0.1:0 load_cpu=80% load_qps=200\n"
                                "server b on m at 127.0.0.1:0\nat 2s: load a cpu=20% eps=5\n");
    REQUIRE(s.servers[0].load_cpu_percent == 80u);
    REQUIRE(s.servers[0].load_qps == 200u);
    REQUIRE_FALSE(s.servers[1].load_cpu_percent.has_value());
    const Action& load = s.steps[0].actions[0];
    REQUIRE(load.kind == ActionKind::load);
    REQUIRE(load.load_cpu_percent == 20u);
    REQUIRE(load.load_qps == 100u);
    REQUIRE(load.load_eps == 5u);
    REQUIRE(parse_error("scenario s\nhost m\nserver a on m at 127.0.0.1:0 load_qps=5\n") ==
            "t.scn:3:30: load_qps= and load_eps= need load_cpu=P% on the same line");
    REQUIRE(parse_error(world + "at 1s: load a qps=5\n") == "t.scn:6:15: missing cpu= (usage: load SERVER cpu=P% [qps=N] [eps=N])");
    REQUIRE(parse_error(world + "at 1s: load c cpu=5%\n") == "t.scn:6:13: 'c' is a channel, not a server");
}

TEST_CASE("ratio expectations: a channel's OK share at least or at most P%, a server's share of every OK RPC",
          "[scenarios]") {
    const Scenario s = parse_ok(world + "expect c rpcs ok <= 0% from=1s until=2s\n"
                                        "expect a rpcs share <= 20%\n"
                                        "expect b rpcs share >= 35% from=1s\n");
    const auto& e = s.expectations;
    REQUIRE(e[0].kind == Expectation::Kind::success_ratio);
    REQUIRE(e[0].at_most);
    REQUIRE(e[0].ratio_percent == 0);
    REQUIRE(e[1].kind == Expectation::Kind::server_share);
    REQUIRE(e[1].subject == "a");
    REQUIRE(e[1].at_most);
    REQUIRE_FALSE(e[2].at_most);
    REQUIRE(e[2].from == 1_s);
    REQUIRE(e[0].text == "expect c rpcs ok <= 0% from=1s until=2s");
    REQUIRE(e[1].text == "expect a rpcs share <= 20%");
    REQUIRE(e[2].text == "expect b rpcs share >= 35% from=1s");
    REQUIRE(parse_error(world + "expect c rpcs share <= 20%\n") == "t.scn:6:8: 'c' is a channel, not a server");
    REQUIRE(parse_error(world + "expect a rpcs ok >= 20%\n") == "t.scn:6:8: 'a' is a server, not a channel");
    REQUIRE(parse_error(world + "expect c rpcs ok == 20%\n").starts_with("t.scn:6:18: expected '>=' or '<=', got '=='"));
    REQUIRE(parse_error(world + "expect c rpcs most >= 20%\n").starts_with("t.scn:6:15: expected 'ok' or 'share', got 'most'"));
}
