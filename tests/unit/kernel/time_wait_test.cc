// TIME_WAIT and the restart race (docs/kernel-model.md "The restart race on real Linux").
#include "tests/unit/kernel/script_outcomes.h"

using netsim::testing::outcomes;
using netsim::testing::Outcomes;

namespace {
// A server accepts one connection and closes it first (active close); the client then closes.
const char* server_closes_first(bool reuseaddr) {
    return reuseaddr ? "socket srv\nsetsockopt srv SO_REUSEADDR 1\nbind srv 127.0.0.1 5000\nlisten srv 5\n"
                       "socket c\nconnect c 127.0.0.1 5000\naccept srv a\nclose a\nclose c\nclose srv\n"
                       "socket n\nsetsockopt n SO_REUSEADDR 1\nbind n 127.0.0.1 5000\n"
                     : "socket srv\nbind srv 127.0.0.1 5000\nlisten srv 5\n"
                       "socket c\nconnect c 127.0.0.1 5000\naccept srv a\nclose a\nclose c\nclose srv\n"
                       "socket n\nbind n 127.0.0.1 5000\n";
}
}  // namespace

TEST_CASE("the server's TIME_WAIT blocks a rebind without SO_REUSEADDR", "[kernel][time_wait]") {
    const Outcomes got = outcomes(server_closes_first(false));
    REQUIRE(got.back() == "EADDRINUSE");
}

TEST_CASE("with SO_REUSEADDR on the old listener and the new socket the rebind succeeds", "[kernel][time_wait]") {
    const Outcomes got = outcomes(server_closes_first(true));
    REQUIRE(got.back() == "ok");
}

TEST_CASE("TIME_WAIT lasts 60 s", "[kernel][time_wait]") {
    std::string script = server_closes_first(false);
    script += "sleep 59s\nbind n 127.0.0.1 5000\nsleep 2s\nbind n 127.0.0.1 5000\n";
    const Outcomes got = outcomes(script);
    REQUIRE(got[got.size() - 3] == "EADDRINUSE");
    REQUIRE(got.back() == "ok");
}

TEST_CASE("the passive closer does not hold the port", "[kernel][time_wait]") {
    const char* script =
        "socket srv\nbind srv 127.0.0.1 5000\nlisten srv 5\n"
        "socket c\nconnect c 127.0.0.1 5000\naccept srv a\nclose c\nrecv a 10\nclose a\nclose srv\n"
        "socket n\nbind n 127.0.0.1 5000\n";
    REQUIRE(outcomes(script).back() == "ok");
}

TEST_CASE("a client's ephemeral port takes a freed listener port, blocking its rebind", "[kernel][time_wait]") {
    const char* script =
        "sysctl ip_local_port_range 40000 40000\n"
        "socket other\nbind other 127.0.0.1 6000\nlisten other 5\n"
        "socket srv\nsetsockopt srv SO_REUSEADDR 1\nbind srv 127.0.0.1 40000\nlisten srv 5\nclose srv\n"
        "socket c\nconnect c 127.0.0.1 6000\nport c\n"
        "socket n\nsetsockopt n SO_REUSEADDR 1\nbind n 127.0.0.1 40000\n";
    const Outcomes got = outcomes(script);
    REQUIRE(got[got.size() - 4] == "ok 40000");
    REQUIRE(got.back() == "EADDRINUSE");
}

TEST_CASE("an orphaned FIN_WAIT2 holds the port until tcp_fin_timeout", "[kernel][time_wait]") {
    const char* script =
        "socket srv\nbind srv 127.0.0.1 5000\nlisten srv 5\n"
        "socket c\nconnect c 127.0.0.1 5000\naccept srv a\nclose a\nclose srv\n"
        "socket n\nbind n 127.0.0.1 5000\nsleep 61s\nbind n 127.0.0.1 5000\n";
    const Outcomes got = outcomes(script);
    REQUIRE(got[got.size() - 3] == "EADDRINUSE");
    REQUIRE(got.back() == "ok");
}

TEST_CASE("a SYN into a server TIME_WAIT without listener is refused at once and ends the TIME_WAIT",
          "[kernel][time_wait]") {
    auto parsed = netsim::kernel::parse_syscall_script(
        "sysctl ip_local_port_range 40000 40000\nsocket l\nbind l 127.0.0.1 5000\nlisten l 4\n"
        "socket c\nconnect c 127.0.0.1 5000\naccept l a\nclose a\nclose c\nclose l\n"
        "socket c2\nconnect c2 127.0.0.1 5000\nsocket b\nbind b 127.0.0.1 5000\n",
        "inline");
    const auto run = netsim::kernel::run_script_on_model(std::get<netsim::kernel::SyscallScript>(parsed));
    REQUIRE(run.lines[11] == "12 ECONNREFUSED");
    REQUIRE(run.lines[13] == "14 ok");
    // Refused at once, not after the TIME_WAIT ran out: no record carries a later instant.
    for (const std::string& record : run.trace) REQUIRE(record.rfind("0.000000000 ", 0) == 0);
}
