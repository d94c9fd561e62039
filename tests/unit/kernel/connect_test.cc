// Connecting: refusal, the accept queue, SYN retries, self-connect, ephemeral ports (Linux
// __inet_stream_connect, tcp_v4_connect, __inet_hash_connect; docs/kernel-model.md "Connecting").
#include "tests/unit/kernel/script_outcomes.h"

using netsim::testing::outcomes;
using netsim::testing::Outcomes;

TEST_CASE("a SYN to a port without listener is refused at once", "[kernel][connect]") {
    REQUIRE(outcomes("socket c\nconnect c 127.0.0.1 5000\n") == Outcomes{"ok", "ECONNREFUSED"});
}

TEST_CASE("a refused socket may connect again; a connected one may not", "[kernel][connect]") {
    const char* script =
        "socket c\nconnect c 127.0.0.1 5000\n"
        "socket s\nbind s 127.0.0.1 5000\nlisten s 1\n"
        "connect c 127.0.0.1 5000\nconnect c 127.0.0.1 5000\n";
    REQUIRE(outcomes(script) == Outcomes{"ok", "ECONNREFUSED", "ok", "ok", "ok", "ok", "EISCONN"});
}

TEST_CASE("the accept queue holds backlog + 1 connections, then connect times out after 131 s",
          "[kernel][connect]") {
    const char* script =
        "socket s\nbind s 127.0.0.1 5000\nlisten s 1\n"
        "socket a\nconnect a 127.0.0.1 5000\nsocket b\nconnect b 127.0.0.1 5000\n"
        "socket c\nconnect c 127.0.0.1 5000\n";
    const Outcomes got = outcomes(script);
    REQUIRE(got == Outcomes{"ok", "ok", "ok", "ok", "ok", "ok", "ok", "ok", "ETIMEDOUT"});
}

TEST_CASE("a retried SYN gets in once the accept queue drains", "[kernel][connect]") {
    const char* script =
        "socket s\nbind s 127.0.0.1 5000\nlisten s 0\n"
        "socket a\nconnect a 127.0.0.1 5000\n"
        "accept s x\naccept s y\n"
        "socket b\nconnect b 127.0.0.1 5000\naccept s z\naccept s w\n";
    REQUIRE(outcomes(script) == Outcomes{"ok", "ok", "ok", "ok", "ok", "ok", "EAGAIN", "ok", "ok", "ok", "EAGAIN"});
}

TEST_CASE("self-connect: source and destination port coincide and the socket connects to itself",
          "[kernel][connect]") {
    REQUIRE(outcomes("sysctl ip_local_port_range 40000 40000\nsocket c\nconnect c 127.0.0.1 40000\nport c\n") ==
            Outcomes{"ok", "ok", "ok", "ok 40000"});
}

TEST_CASE("an exhausted port range gives EADDRNOTAVAIL", "[kernel][connect]") {
    const char* script =
        "sysctl ip_local_port_range 40000 40000\n"
        "socket s\nbind s 127.0.0.1 5000\nlisten s 5\n"
        "socket a\nconnect a 127.0.0.1 5000\nsocket b\nconnect b 127.0.0.1 5000\n";
    REQUIRE(outcomes(script) == Outcomes{"ok", "ok", "ok", "ok", "ok", "ok", "ok", "EADDRNOTAVAIL"});
}

TEST_CASE("connects to different destinations share one local port", "[kernel][connect]") {
    const char* script =
        "sysctl ip_local_port_range 40000 40000\n"
        "socket s1\nbind s1 127.0.0.1 5000\nlisten s1 5\nsocket s2\nbind s2 127.0.0.1 5001\nlisten s2 5\n"
        "socket a\nconnect a 127.0.0.1 5000\nsocket b\nconnect b 127.0.0.1 5001\nport a\nport b\n";
    const Outcomes got = outcomes(script);
    REQUIRE(got[got.size() - 3] == "ok");
    REQUIRE(got[got.size() - 2] == "ok 40000");
    REQUIRE(got.back() == "ok 40000");
}

TEST_CASE("connect never takes a port that a bind() holds", "[kernel][connect]") {
    const char* script =
        "sysctl ip_local_port_range 40000 40000\n"
        "socket s\nbind s 127.0.0.1 5000\nlisten s 5\n"
        "socket held\nbind held 127.0.0.2 40000\n"
        "socket a\nconnect a 127.0.0.1 5000\n";
    REQUIRE(outcomes(script).back() == "EADDRNOTAVAIL");
}

TEST_CASE("bind(0) and listen's autobind pick from the range; connect prefers the range start's parity",
          "[kernel][connect]") {
    for (std::uint64_t seed = 0; seed < 50; ++seed) {
        const Outcomes got = outcomes(
            "socket l\nsetsockopt l SO_REUSEADDR 1\nbind l 127.0.0.1 0\nport l\nlisten l 5\n"
            "socket c\nconnect c 127.0.0.1 0\nport c\n"
            "socket m\nlisten m 5\nport m\n",
            seed);
        const int l_port = std::stoi(got[3].substr(3));
        const int m_port = std::stoi(got[10].substr(3));
        REQUIRE(l_port % 2 == 1);                              // bind(0): odd offsets first
        REQUIRE(l_port >= 32768);
        REQUIRE(l_port < 32768 + (60999 - 32768 + 1) / 2);     // SO_REUSEADDR: lower half first
        REQUIRE(m_port % 2 == 1);
        REQUIRE(m_port >= 32768);
        REQUIRE(m_port <= 60999);
    }
}

TEST_CASE("getsockname keeps reporting the port a failed connect gave back", "[kernel][connect]") {
    REQUIRE(outcomes("sysctl ip_local_port_range 40000 40000\nsocket c\nconnect c 127.0.0.1 5000\nport c\n"
                     "socket d\nbind d 127.0.0.1 40000\n") == Outcomes{"ok", "ok", "ECONNREFUSED", "ok 40000", "ok", "ok"});
}

TEST_CASE("connections to any 127/8 address come from 127.0.0.1", "[kernel][connect]") {
    // From 127.0.0.1:40000 to 127.0.0.2:40000 is not a self-connect: refused.
    REQUIRE(outcomes("sysctl ip_local_port_range 40000 40000\nsocket c\nconnect c 127.0.0.2 40000\n") ==
            Outcomes{"ok", "ok", "ECONNREFUSED"});
}

TEST_CASE("a connect to 0.0.0.0 goes to the socket's own bound address", "[kernel][connect]") {
    REQUIRE(outcomes("socket c\nbind c 127.0.0.2 5000\nconnect c 0.0.0.0 5000\n") == Outcomes{"ok", "ok", "ok"});
    REQUIRE(outcomes("socket s\nbind s 127.0.0.1 5000\nlisten s 1\nsocket c\nconnect c 0.0.0.0 5000\n").back() == "ok");
}

TEST_CASE("a self-connect on a socket shut down for writing ends in ECONNABORTED and TIME_WAIT",
          "[kernel][connect]") {
    REQUIRE(outcomes("sysctl ip_local_port_range 40000 40000\nsocket c\nshutdown c wr\nconnect c 127.0.0.1 40000\n"
                     "recv c 1\nsocket d\nbind d 127.0.0.1 40000\n") ==
            Outcomes{"ok", "ok", "ENOTCONN", "ECONNABORTED", "ENOTCONN", "ok", "EADDRINUSE"});
}

TEST_CASE("after a refused IPv4-mapped connect, an IPv6 socket's IPv6 handshakes never complete",
          "[kernel][connect]") {
    REQUIRE(outcomes("socket l inet6\nbind l ::1 5001\nlisten l 5\nsocket s inet6\n"
                     "connect s ::ffff:127.0.0.1 5001\nconnect s ::1 5001\n") ==
            Outcomes{"ok", "ok", "ok", "ok", "ECONNREFUSED", "ETIMEDOUT"});
}

TEST_CASE("listen's autobind keeps the address a bind(0) locked", "[kernel][connect]") {
    // bind(127.0.0.2, 0) then a refused connect gives the port back but keeps the address;
    // listen's autobind then takes 127.0.0.2:40000, which a connection from 127.0.0.1:40000 does
    // not block (else EADDRINUSE); after the failed connect listen itself fails (EINVAL, measured).
    REQUIRE(outcomes("sysctl ip_local_port_range 40000 40000\nsocket s\nbind s 127.0.0.2 0\n"
                     "connect s 127.0.0.1 5001\nsocket c\nconnect c 127.0.0.1 40000\nlisten s 4\nport s\n") ==
            Outcomes{"ok", "ok", "ok", "ECONNREFUSED", "ok", "ok", "EINVAL", "ok 40000"});
}
