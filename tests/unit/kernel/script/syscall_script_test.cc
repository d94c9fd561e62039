#include "sim/kernel/script/syscall_script.h"

#include "tests/support/catch.h"

#include <string>

using namespace netsim::kernel;
using namespace netsim::literals;

namespace {

SyscallScript parse_ok(std::string_view text) {
    auto result = parse_syscall_script(text, "t.txt");
    if (auto* error = std::get_if<ScriptError>(&result)) FAIL("unexpected error: " << error->format());
    return std::get<SyscallScript>(std::move(result));
}

std::string parse_error(std::string_view text) {
    auto result = parse_syscall_script(text, "t.txt");
    if (std::holds_alternative<SyscallScript>(result)) return "(parsed without error)";
    return std::get<ScriptError>(result).format();
}

template <typename Op>
const Op& step(const SyscallScript& script, std::size_t index) {
    REQUIRE(index < script.steps.size());
    const Op* op = std::get_if<Op>(&script.steps[index].operation);
    REQUIRE(op != nullptr);
    return *op;
}

}  // namespace

TEST_CASE("a script of every operation parses into typed steps with their line numbers", "[syscall_script]") {
    const SyscallScript script = parse_ok(
        "# every operation once\n"
        "sysctl ip_local_port_range 40000 40001\n"
        "sysctl tcp_tw_reuse 1\n"
        "\n"
        "socket srv\n"
        "socket c6 inet6\n"
        "setsockopt srv SO_REUSEADDR 1\n"
        "setsockopt srv SO_REUSEPORT 0\n"
        "setsockopt c6 IPV6_V6ONLY 1\n"
        "setsockopt srv SO_LINGER 0\n"
        "setsockopt srv SO_LINGER off\n"
        "bind srv 0.0.0.0 8080\n"
        "listen srv 16\n"
        "connect c6 ::1 8080\n"
        "accept srv a1\n"
        "send a1 100\n"
        "recv c6 50\n"
        "shutdown a1 wr\n"
        "shutdown c6 rd\n"
        "shutdown c6 rdwr\n"
        "close a1\n"
        "port srv\n"
        "sleep 250ms\n");
    REQUIRE(script.file == "t.txt");
    REQUIRE(script.steps.size() == 21);
    REQUIRE(script.steps[0].line == 2);
    REQUIRE(script.steps[2].line == 5);
    REQUIRE(script.steps[20].line == 23);

    REQUIRE(step<SysctlPortRange>(script, 0).low == 40000);
    REQUIRE(step<SysctlPortRange>(script, 0).high == 40001);
    REQUIRE(step<SysctlTwReuse>(script, 1).mode == 1);
    REQUIRE(step<SocketOp>(script, 2).name == "srv");
    REQUIRE(step<SocketOp>(script, 2).family == Family::inet);
    REQUIRE(step<SocketOp>(script, 3).family == Family::inet6);
    REQUIRE(step<SetsockoptOp>(script, 4).option == SockOption::reuseaddr);
    REQUIRE(step<SetsockoptOp>(script, 4).value == 1);
    REQUIRE(step<SetsockoptOp>(script, 5).option == SockOption::reuseport);
    REQUIRE(step<SetsockoptOp>(script, 5).value == 0);
    REQUIRE(step<SetsockoptOp>(script, 6).option == SockOption::v6only);
    REQUIRE(step<SetsockoptOp>(script, 7).option == SockOption::linger);
    REQUIRE(step<SetsockoptOp>(script, 7).value == 0);
    REQUIRE_FALSE(step<SetsockoptOp>(script, 7).linger_off);
    REQUIRE(step<SetsockoptOp>(script, 8).linger_off);
    REQUIRE(step<BindOp>(script, 9).address == "0.0.0.0");
    REQUIRE(step<BindOp>(script, 9).port == 8080);
    REQUIRE(step<ListenOp>(script, 10).backlog == 16);
    REQUIRE(step<ConnectOp>(script, 11).address == "::1");
    REQUIRE(step<ConnectOp>(script, 11).port == 8080);
    REQUIRE(step<AcceptOp>(script, 12).listener == "srv");
    REQUIRE(step<AcceptOp>(script, 12).name == "a1");
    REQUIRE(step<SendOp>(script, 13).bytes == 100);
    REQUIRE(step<RecvOp>(script, 14).bytes == 50);
    REQUIRE(step<ShutdownOp>(script, 15).how == ShutdownHow::wr);
    REQUIRE(step<ShutdownOp>(script, 16).how == ShutdownHow::rd);
    REQUIRE(step<ShutdownOp>(script, 17).how == ShutdownHow::rdwr);
    REQUIRE(step<CloseOp>(script, 18).name == "a1");
    REQUIRE(step<PortOp>(script, 19).name == "srv");
    REQUIRE(step<SleepOp>(script, 20).duration == 250_ms);
}

TEST_CASE("comments, blank lines, tabs and CRLF line ends are skipped", "[syscall_script]") {
    const SyscallScript script = parse_ok("  # indented comment\r\n\r\nsocket\ts1   inet6  # trailing comment\r\nclose s1#x\n");
    REQUIRE(script.steps.size() == 2);
    REQUIRE(step<SocketOp>(script, 0).family == Family::inet6);
    REQUIRE(script.steps[0].line == 3);
    REQUIRE(step<CloseOp>(script, 1).name == "s1");
}

TEST_CASE("an empty script has no steps", "[syscall_script]") {
    REQUIRE(parse_ok("").steps.empty());
    REQUIRE(parse_ok("# nothing\n\n").steps.empty());
}

TEST_CASE("boundary values parse", "[syscall_script]") {
    const SyscallScript script = parse_ok(
        "socket s\n"
        "bind s :: 0\n"
        "connect s ::ffff:127.0.0.1 65535\n"
        "sysctl ip_local_port_range 1024 65535\n"
        "sysctl ip_local_port_range 40000 40000\n"
        "send s 0\n"
        "recv s 16777216\n"
        "setsockopt s SO_LINGER 2147483647\n"
        "sleep 61s\n"
        "accept s s\n");
    REQUIRE(step<BindOp>(script, 1).port == 0);
    REQUIRE(step<ConnectOp>(script, 2).port == 65535);
    REQUIRE(step<SysctlPortRange>(script, 4).low == 40000);
    REQUIRE(step<SendOp>(script, 5).bytes == 0);
    REQUIRE(step<RecvOp>(script, 6).bytes == max_transfer_bytes);
    REQUIRE(step<SetsockoptOp>(script, 7).value == 2147483647);
    REQUIRE(step<SleepOp>(script, 8).duration == 61_s);
}

TEST_CASE("a name may be introduced again, by socket or by accept", "[syscall_script]") {
    const SyscallScript script = parse_ok("socket l\nsocket c\naccept l c\nsocket c inet6\nclose c\n");
    REQUIRE(script.steps.size() == 5);
}

TEST_CASE("address_family classifies literals as inet_pton does", "[syscall_script]") {
    REQUIRE(address_family("127.0.0.1") == Family::inet);
    REQUIRE(address_family("0.0.0.0") == Family::inet);
    REQUIRE(address_family("::") == Family::inet6);
    REQUIRE(address_family("::ffff:127.0.0.1") == Family::inet6);
    REQUIRE_FALSE(address_family("localhost").has_value());
    REQUIRE_FALSE(address_family("127.1").has_value());
    REQUIRE_FALSE(address_family("").has_value());
}

TEST_CASE("malformed: unknown operation", "[syscall_script][malformed]") {
    REQUIRE(parse_error("socket s\n  frobnicate s\n") ==
            "t.txt:2:3: unknown operation 'frobnicate' (expected sysctl, socket, setsockopt, bind, listen, connect, "
            "accept, send, recv, shutdown, close, port, error, state, table or sleep)");
}

TEST_CASE("malformed: too few arguments point at the operation", "[syscall_script][malformed]") {
    REQUIRE(parse_error("socket s\nbind s 127.0.0.1\n") ==
            "t.txt:2:1: 'bind' takes 3 arguments (bind NAME ADDR PORT), got 2");
    REQUIRE(parse_error("socket\n") == "t.txt:1:1: 'socket' takes 1 or 2 arguments (socket NAME [inet|inet6]), got 0");
    REQUIRE(parse_error("sysctl\n") ==
            "t.txt:1:1: 'sysctl' needs a name (sysctl ip_local_port_range LO HI, or sysctl tcp_tw_reuse N)");
    REQUIRE(parse_error("sysctl ip_local_port_range 40000\n") ==
            "t.txt:1:1: 'sysctl ip_local_port_range' takes 2 arguments (sysctl ip_local_port_range LO HI), got 1");
}

TEST_CASE("malformed: too many arguments point at the first extra one", "[syscall_script][malformed]") {
    REQUIRE(parse_error("socket s\nclose s now\n") == "t.txt:2:9: 'close' takes 1 argument (close NAME), got 2");
    REQUIRE(parse_error("socket s inet6 extra\n") ==
            "t.txt:1:16: 'socket' takes 1 or 2 arguments (socket NAME [inet|inet6]), got 3");
    REQUIRE(parse_error("sysctl tcp_tw_reuse 1 2\n") ==
            "t.txt:1:23: 'sysctl tcp_tw_reuse' takes 1 argument (sysctl tcp_tw_reuse N), got 2");
}

TEST_CASE("malformed: bad numbers", "[syscall_script][malformed]") {
    REQUIRE(parse_error("socket s\nlisten s 1O\n") == "t.txt:2:10: bad number '1O' (expected a decimal integer)");
    REQUIRE(parse_error("socket s\nsend s -1\n") == "t.txt:2:8: bad number '-1' (expected a decimal integer)");
    REQUIRE(parse_error("socket s\nsend s +1\n") == "t.txt:2:8: bad number '+1' (expected a decimal integer)");
    REQUIRE(parse_error("socket s\nlisten s 99999999999999999999\n") ==
            "t.txt:2:10: backlog 99999999999999999999 out of range 0..2147483647");
    REQUIRE(parse_error("socket s\nrecv s 0\n") == "t.txt:2:8: byte count 0 out of range 1..16777216");
    REQUIRE(parse_error("socket s\nsend s 16777217\n") == "t.txt:2:8: byte count 16777217 out of range 0..16777216");
    REQUIRE(parse_error("sysctl tcp_tw_reuse 3\n") == "t.txt:1:21: tcp_tw_reuse 3 out of range 0..2");
}

TEST_CASE("malformed: ports outside 0..65535", "[syscall_script][malformed]") {
    REQUIRE(parse_error("socket s\nbind s 127.0.0.1 65536\n") == "t.txt:2:18: port 65536 out of range 0..65535");
    REQUIRE(parse_error("socket s\nconnect s ::1 70000\n") == "t.txt:2:15: port 70000 out of range 0..65535");
}

TEST_CASE("malformed: port ranges Linux would refuse", "[syscall_script][malformed]") {
    REQUIRE(parse_error("sysctl ip_local_port_range 80 90\n") ==
            "t.txt:1:28: port range start 80 out of range 1024..65535");
    REQUIRE(parse_error("sysctl ip_local_port_range 40000 39999\n") ==
            "t.txt:1:34: port range end 39999 is below its start 40000");
}

TEST_CASE("malformed: bad addresses", "[syscall_script][malformed]") {
    const std::string why = " (expected an IPv4 or IPv6 literal such as 127.0.0.1 or ::1)";
    REQUIRE(parse_error("socket s\nbind s localhost 80\n") == "t.txt:2:8: bad address 'localhost'" + why);
    REQUIRE(parse_error("socket s\nconnect s 127.0.0.256 80\n") == "t.txt:2:11: bad address '127.0.0.256'" + why);
    REQUIRE(parse_error("socket s\nbind s :::1 80\n") == "t.txt:2:8: bad address ':::1'" + why);
}

TEST_CASE("malformed: bad durations", "[syscall_script][malformed]") {
    const std::string why = " (expected a whole number and a unit: 250ms, 2s, 61s)";
    REQUIRE(parse_error("sleep 5\n") == "t.txt:1:7: bad duration '5'" + why);
    REQUIRE(parse_error("sleep 1.5s\n") == "t.txt:1:7: bad duration '1.5s'" + why);
}

TEST_CASE("malformed: unknown options and option values", "[syscall_script][malformed]") {
    REQUIRE(parse_error("socket s\nsetsockopt s SO_KEEPALIVE 1\n") ==
            "t.txt:2:14: unknown option 'SO_KEEPALIVE' (expected SO_REUSEADDR, SO_REUSEPORT, IPV6_V6ONLY or "
            "SO_LINGER)");
    REQUIRE(parse_error("socket s\nsetsockopt s SO_REUSEADDR 2\n") ==
            "t.txt:2:27: bad value '2' for SO_REUSEADDR (expected 0 or 1)");
    REQUIRE(parse_error("socket s\nsetsockopt s SO_LINGER on\n") ==
            "t.txt:2:24: bad value 'on' for SO_LINGER (expected seconds or off)");
}

TEST_CASE("malformed: unknown sysctl, family and shutdown direction", "[syscall_script][malformed]") {
    REQUIRE(parse_error("sysctl tcp_fin_timeout 30\n") ==
            "t.txt:1:8: unknown sysctl 'tcp_fin_timeout' (expected ip_local_port_range or tcp_tw_reuse)");
    REQUIRE(parse_error("socket s ipv4\n") == "t.txt:1:10: unknown family 'ipv4' (expected inet or inet6)");
    REQUIRE(parse_error("socket s\nshutdown s both\n") ==
            "t.txt:2:12: unknown shutdown direction 'both' (expected rd, wr or rdwr)");
}

TEST_CASE("malformed: a name not introduced by an earlier socket or accept line", "[syscall_script][malformed]") {
    REQUIRE(parse_error("socket s\nconnect c 127.0.0.1 80\n") ==
            "t.txt:2:9: unknown socket name 'c' (introduce it with 'socket c' or 'accept LISTENER c' first)");
    REQUIRE(parse_error("socket s\naccept l a\n") ==
            "t.txt:2:8: unknown socket name 'l' (introduce it with 'socket l' or 'accept LISTENER l' first)");
    // A name introduced on a later line does not count.
    REQUIRE(parse_error("close late\nsocket late\n") ==
            "t.txt:1:7: unknown socket name 'late' (introduce it with 'socket late' or 'accept LISTENER late' first)");
}

TEST_CASE("malformed: a new name that is not an identifier", "[syscall_script][malformed]") {
    REQUIRE(parse_error("socket 1s\n") ==
            "t.txt:1:8: bad socket name '1s' (expected a letter or '_', then letters, digits or '_')");
    REQUIRE(parse_error("socket l\naccept l a-b\n") ==
            "t.txt:2:10: bad socket name 'a-b' (expected a letter or '_', then letters, digits or '_')");
}

TEST_CASE("the first malformed line is reported, after the good ones before it", "[syscall_script][malformed]") {
    REQUIRE(parse_error("socket s\nbind s 127.0.0.1 80\nlisten s x\nlisten s y\n") ==
            "t.txt:3:10: bad number 'x' (expected a decimal integer)");
}

TEST_CASE("state NAME and table parse; table takes no argument", "[syscall_script]") {
    auto parsed = parse_syscall_script("socket s\nstate s\ntable\n", "t");
    const auto& script = std::get<SyscallScript>(parsed);
    REQUIRE(std::get<StateOp>(script.steps[1].operation).name == "s");
    REQUIRE(std::holds_alternative<TableOp>(script.steps[2].operation));
    REQUIRE(std::get<ScriptError>(parse_syscall_script("table now\n", "t")).format() ==
            "t:1:7: 'table' takes 0 arguments (table), got 1");
    REQUIRE(std::get<ScriptError>(parse_syscall_script("state x\n", "t")).column == 7);
}
