// TIME_WAIT and the restart race (../shared/spec/linux-ports.md "Verified here on real Linux").
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
