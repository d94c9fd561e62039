#include "scenarios/values.h"

#include "tests/support/catch.h"

using namespace netsim;
using namespace netsim::scenarios;
using namespace netsim::literals;

namespace {

const SourceLocation here{"v.scn", 3, 7};

template <typename T>
T ok(Parsed<T> parsed) {
    if (!parsed) FAIL("unexpected error: " << parsed.error().to_string());
    return std::move(parsed).value();
}

template <typename T>
std::string error_of(Parsed<T> parsed) {
    if (parsed) return "(parsed without error)";
    REQUIRE(parsed.error().where.line == 3);
    REQUIRE(parsed.error().where.column == 7);
    return parsed.error().message;
}

}  // namespace

TEST_CASE("durations are a whole number and a unit", "[scenarios]") {
    REQUIRE(ok(parse_duration_value("250ms", here)) == 250_ms);
    REQUIRE(ok(parse_duration_value("2s", here)) == 2_s);
    REQUIRE(ok(parse_duration_value("3m", here)) == 180_s);
    REQUIRE(ok(parse_duration_value("0ms", here)) == Duration::zero());
    REQUIRE(error_of(parse_duration_value("5 seconds", here)) == "expected a duration like 250ms or 2s, got '5 seconds'");
    REQUIRE(error_of(parse_duration_value("1.5s", here)) == "expected a duration like 250ms or 2s, got '1.5s'");
    REQUIRE(error_of(parse_duration_value("10", here)) == "expected a duration like 250ms or 2s, got '10'");
}

TEST_CASE("a window is one duration or two joined by ..", "[scenarios]") {
    const DurationRange fixed = ok(parse_window("10ms", here));
    REQUIRE(fixed.low == 10_ms);
    REQUIRE(fixed.high == 10_ms);
    const DurationRange window = ok(parse_window("1s..3s", here));
    REQUIRE(window.low == 1_s);
    REQUIRE(window.high == 3_s);
    REQUIRE(error_of(parse_window("3s..1s", here)) == "window 3s..1s ends before it starts");
    REQUIRE(error_of(parse_window("1s..", here)) == "expected a window like 1s..3s (two durations), got '1s..'");
    REQUIRE(error_of(parse_window("soon", here)) == "expected a duration like 250ms or a window like 1s..3s, got 'soon'");
}

TEST_CASE("rates are events over a unit or a duration", "[scenarios]") {
    const Rate per_second = ok(parse_rate("200/s", here));
    REQUIRE(per_second.events == 200);
    REQUIRE(per_second.per == 1_s);
    REQUIRE(ok(parse_rate("5/ms", here)).per == 1_ms);
    const Rate slow = ok(parse_rate("1/100ms", here));
    REQUIRE(slow.events == 1);
    REQUIRE(slow.per == 100_ms);
    REQUIRE(error_of(parse_rate("200", here)) == "expected a rate like 200/s, 5/ms or 1/100ms, got '200'");
    REQUIRE(error_of(parse_rate("200/sec", here)) == "expected a rate like 200/s, 5/ms or 1/100ms, got '200/sec'");
    REQUIRE(error_of(parse_rate("1/0ms", here)) == "rate 1/0ms is per zero time");
}

TEST_CASE("percentages are whole numbers up to 100%", "[scenarios]") {
    REQUIRE(ok(parse_percent("99%", here)) == 99);
    REQUIRE(ok(parse_percent("0%", here)) == 0);
    REQUIRE(error_of(parse_percent("99", here)) == "expected a percentage like 99%, got '99'");
    REQUIRE(error_of(parse_percent("101%", here)) == "percentage 101% is above 100%");
}

TEST_CASE("loss is a ratio or a percentage", "[scenarios]") {
    REQUIRE(ok(parse_loss("1/100", here)) == std::pair<std::uint32_t, std::uint32_t>{1, 100});
    REQUIRE(ok(parse_loss("1%", here)) == std::pair<std::uint32_t, std::uint32_t>{1, 100});
    REQUIRE(error_of(parse_loss("2/1", here)) == "loss 2/1 is above 1");
    REQUIRE(error_of(parse_loss("1/0", here)) == "loss 1/0 divides by zero");
    REQUIRE(error_of(parse_loss("lots", here)) == "expected a loss like 1/100 or 1%, got 'lots'");
}

TEST_CASE("ports and port ranges", "[scenarios]") {
    REQUIRE(ok(parse_port("5000", here)) == 5000);
    REQUIRE(ok(parse_port("0", here)) == 0);
    REQUIRE(error_of(parse_port("65536", here)) == "expected a port (0..65535), got '65536'");
    REQUIRE(ok(parse_port_range("32768-60999", here)) == std::pair<net::Port, net::Port>{32768, 60999});
    REQUIRE(error_of(parse_port_range("60999-32768", here)) == "port range 60999-32768 ends before it starts");
    REQUIRE(error_of(parse_port_range("32768", here)) ==
            "expected a port range like 32768-60999 (ports 1..65535), got '32768'");
}

TEST_CASE("IP and socket addresses, IPv6 in brackets", "[scenarios]") {
    REQUIRE(ok(parse_ip_address("10.0.0.2", here)) == net::IpAddress::v4(10, 0, 0, 2));
    REQUIRE(ok(parse_ip_address("fd00::2", here)).is_v6());
    REQUIRE(error_of(parse_ip_address("10.0.0.256", here)) ==
            "expected an IP address like 127.0.0.1 or ::1, got '10.0.0.256'");
    const net::SocketAddress v4 = ok(parse_socket_address("127.0.0.1:0", here));
    REQUIRE(v4.ip == net::IpAddress::loopback(net::IpFamily::v4));
    REQUIRE(v4.port == 0);
    const net::SocketAddress v6 = ok(parse_socket_address("[::1]:50051", here));
    REQUIRE(v6.ip == net::IpAddress::loopback(net::IpFamily::v6));
    REQUIRE(v6.port == 50051);
    const std::string expected = "expected an address like 127.0.0.1:8080 or [::1]:8080, got ";
    REQUIRE(error_of(parse_socket_address("::1:50051", here)) == expected + "'::1:50051'");
    REQUIRE(error_of(parse_socket_address("127.0.0.1", here)) == expected + "'127.0.0.1'");
    REQUIRE(error_of(parse_socket_address("127.0.0.1:70000", here)) == expected + "'127.0.0.1:70000'");
    REQUIRE(error_of(parse_socket_address("[127.0.0.1]:80", here)) == expected + "'[127.0.0.1]:80'");
}

TEST_CASE("booleans and integers", "[scenarios]") {
    REQUIRE(ok(parse_bool("true", here)));
    REQUIRE_FALSE(ok(parse_bool("false", here)));
    REQUIRE(error_of(parse_bool("yes", here)) == "expected true or false, got 'yes'");
    REQUIRE(ok(parse_integer("128", here, "backlog", 0, 65535)) == 128);
    REQUIRE(error_of(parse_integer("-1", here, "backlog", 0, 65535)) ==
            "expected a whole number for backlog (0..65535), got '-1'");
    REQUIRE(error_of(parse_integer("70000", here, "backlog", 0, 65535)) == "backlog 70000 is out of range 0..65535");
}

TEST_CASE("listener strategies, states and errno names", "[scenarios]") {
    REQUIRE(ok(parse_listener_strategy("wait_release", here)) == ListenerStrategy::wait_release);
    REQUIRE(ok(parse_listener_strategy("random_port", here)) == ListenerStrategy::random_port);
    REQUIRE(error_of(parse_listener_strategy("reuse", here)) ==
            "expected a listener strategy (plain, reuseaddr, restartable, reuseport, wait_release or random_port), "
            "got 'reuse'");
    REQUIRE(ok(parse_state_name("TRANSIENT_FAILURE", here)) == ConnectivityStateName::transient_failure);
    REQUIRE(ok(parse_state_name("IDLE", here)) == ConnectivityStateName::idle);
    REQUIRE(error_of(parse_state_name("ready", here)) ==
            "expected a connectivity state (IDLE, CONNECTING, READY, TRANSIENT_FAILURE or SHUTDOWN), got 'ready' "
            "(state names are upper case)");
    REQUIRE(ok(parse_errno_name("EADDRINUSE", here)) == kernel::Errno::eaddrinuse);
    REQUIRE(ok(parse_errno_name("ECONNREFUSED", here)) == kernel::Errno::econnrefused);
    REQUIRE(error_of(parse_errno_name("EADDRINUS", here)).starts_with("expected an errno name (EBADF, EAGAIN, "));
    REQUIRE(error_of(parse_errno_name("ok", here)).ends_with("got 'ok'"));
}

TEST_CASE("a noise target is a server name or an address", "[scenarios]") {
    REQUIRE(std::get<std::string>(ok(parse_noise_target("b", here))) == "b");
    REQUIRE(std::get<net::SocketAddress>(ok(parse_noise_target("127.0.0.1:5000", here))).port == 5000);
    REQUIRE(error_of(parse_noise_target("127.0.0.1", here)) ==
            "expected a server name or an address like 127.0.0.1:8080, got '127.0.0.1'");
}

TEST_CASE("the names the parsers accept are the names written back", "[scenarios]") {
    for (auto s : {ListenerStrategy::plain, ListenerStrategy::reuseaddr, ListenerStrategy::restartable,
                   ListenerStrategy::reuseport, ListenerStrategy::wait_release, ListenerStrategy::random_port})
        REQUIRE(ok(parse_listener_strategy(listener_strategy_name(s), here)) == s);
    for (auto s : {ConnectivityStateName::idle, ConnectivityStateName::connecting, ConnectivityStateName::ready,
                   ConnectivityStateName::transient_failure, ConnectivityStateName::shutdown})
        REQUIRE(ok(parse_state_name(state_name(s), here)) == s);
    REQUIRE(is_identifier("stop_a"));
    REQUIRE_FALSE(is_identifier("1a"));
    REQUIRE_FALSE(is_identifier("a-b"));
}
