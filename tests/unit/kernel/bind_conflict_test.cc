// Bind conflicts (docs/kernel-model.md "Bind conflicts"; Linux inet_bind_conflict).
#include "tests/unit/kernel/script_outcomes.h"

using netsim::testing::outcomes;
using netsim::testing::Outcomes;

TEST_CASE("two sockets cannot bind the same address and port", "[kernel][bind]") {
    REQUIRE(outcomes("socket a\nbind a 127.0.0.1 5000\nsocket b\nbind b 127.0.0.1 5000\n") ==
            Outcomes{"ok", "ok", "ok", "EADDRINUSE"});
}

TEST_CASE("different specific addresses on one port do not conflict", "[kernel][bind]") {
    REQUIRE(outcomes("socket a\nbind a 127.0.0.1 5000\nsocket b\nbind b 127.0.0.2 5000\n") ==
            Outcomes{"ok", "ok", "ok", "ok"});
}

TEST_CASE("a wildcard overlaps every specific address of its family", "[kernel][bind]") {
    REQUIRE(outcomes("socket a\nbind a 0.0.0.0 5000\nsocket b\nbind b 127.0.0.1 5000\n") ==
            Outcomes{"ok", "ok", "ok", "EADDRINUSE"});
    REQUIRE(outcomes("socket a\nbind a 127.0.0.1 5000\nsocket b\nbind b 0.0.0.0 5000\n") ==
            Outcomes{"ok", "ok", "ok", "EADDRINUSE"});
}

TEST_CASE(":: covers IPv4 unless IPV6_V6ONLY is set", "[kernel][bind]") {
    REQUIRE(outcomes("socket a inet6\nbind a :: 5000\nsocket b\nbind b 127.0.0.1 5000\n") ==
            Outcomes{"ok", "ok", "ok", "EADDRINUSE"});
    REQUIRE(outcomes("socket a inet6\nsetsockopt a IPV6_V6ONLY 1\nbind a :: 5000\nsocket b\nbind b 0.0.0.0 5000\n") ==
            Outcomes{"ok", "ok", "ok", "ok", "ok"});
}

TEST_CASE("SO_REUSEADDR on both lets a bound, non-listening socket share; a listener never", "[kernel][bind]") {
    const char* both_bound =
        "socket a\nsetsockopt a SO_REUSEADDR 1\nbind a 127.0.0.1 5000\n"
        "socket b\nsetsockopt b SO_REUSEADDR 1\nbind b 127.0.0.1 5000\n"
        "listen a 5\nlisten b 5\n";
    REQUIRE(outcomes(both_bound) == Outcomes{"ok", "ok", "ok", "ok", "ok", "ok", "ok", "EADDRINUSE"});
    const char* old_listening =
        "socket a\nsetsockopt a SO_REUSEADDR 1\nbind a 127.0.0.1 5000\nlisten a 5\n"
        "socket b\nsetsockopt b SO_REUSEADDR 1\nbind b 127.0.0.1 5000\n";
    REQUIRE(outcomes(old_listening) == Outcomes{"ok", "ok", "ok", "ok", "ok", "ok", "EADDRINUSE"});
    const char* only_new =
        "socket a\nbind a 127.0.0.1 5000\nsocket b\nsetsockopt b SO_REUSEADDR 1\nbind b 127.0.0.1 5000\n";
    REQUIRE(outcomes(only_new) == Outcomes{"ok", "ok", "ok", "ok", "EADDRINUSE"});
}

TEST_CASE("SO_REUSEPORT on both lets several listeners share a port", "[kernel][bind]") {
    const char* script =
        "socket a\nsetsockopt a SO_REUSEPORT 1\nbind a 127.0.0.1 5000\nlisten a 5\n"
        "socket b\nsetsockopt b SO_REUSEPORT 1\nbind b 127.0.0.1 5000\nlisten b 5\n"
        "socket c\nbind c 127.0.0.1 5000\n";
    REQUIRE(outcomes(script) == Outcomes{"ok", "ok", "ok", "ok", "ok", "ok", "ok", "ok", "ok", "EADDRINUSE"});
}

TEST_CASE("bind on a bound socket is EINVAL; on a foreign address EADDRNOTAVAIL", "[kernel][bind]") {
    REQUIRE(outcomes("socket a\nbind a 127.0.0.1 5000\nbind a 127.0.0.1 5001\n") == Outcomes{"ok", "ok", "EINVAL"});
    REQUIRE(outcomes("socket a\nbind a 10.9.9.9 5000\n") == Outcomes{"ok", "EADDRNOTAVAIL"});
    REQUIRE(outcomes("socket a\nbind a ::1 5000\n") == Outcomes{"ok", "EAFNOSUPPORT"});
}

TEST_CASE("closing a bound socket frees its port", "[kernel][bind]") {
    REQUIRE(outcomes("socket a\nbind a 127.0.0.1 5000\nclose a\nsocket b\nbind b 127.0.0.1 5000\n") ==
            Outcomes{"ok", "ok", "ok", "ok", "ok"});
}

TEST_CASE("0.0.0.0 meets an IPv6 socket on a specific address only if connect() chose its port",
          "[kernel][bind]") {
    // Measured on Linux 6.18: a bound or listening [::1]:P leaves 0.0.0.0:P free ...
    REQUIRE(outcomes("socket a inet6\nbind a ::1 5000\nsocket b\nbind b 0.0.0.0 5000\n") ==
            Outcomes{"ok", "ok", "ok", "ok"});
    // ... but a connection from [::1]:P, or its TIME_WAIT, blocks it.
    REQUIRE(outcomes("sysctl ip_local_port_range 40001 40001\nsocket l inet6\nbind l ::1 5000\nlisten l 5\n"
                     "socket s inet6\nconnect s ::1 5000\nsocket b\nbind b 0.0.0.0 40001\n")
                .back() == "EADDRINUSE");
    REQUIRE(outcomes("sysctl ip_local_port_range 40001 40001\nsocket s inet6\nconnect s ::1 40001\nclose s\n"
                     "socket b\nbind b 0.0.0.0 40001\n")
                .back() == "EADDRINUSE");
    REQUIRE(outcomes("socket a\nbind a 0.0.0.0 5000\nsocket b inet6\nbind b ::1 5000\n") ==
            Outcomes{"ok", "ok", "ok", "ok"});
}

TEST_CASE("an IPv4-mapped address binds as its IPv4 address", "[kernel][bind]") {
    REQUIRE(outcomes("socket a\nbind a 127.0.0.1 5000\nsocket b inet6\nbind b ::ffff:127.0.0.1 5000\n") ==
            Outcomes{"ok", "ok", "ok", "EADDRINUSE"});
}

TEST_CASE("a port taken by listen's autobind is given back when the listener is shut down",
          "[kernel][bind]") {
    REQUIRE(outcomes("sysctl ip_local_port_range 40000 40000\nsocket s\nlisten s 1\nport s\nshutdown s rdwr\n"
                     "bind s 127.0.0.2 40000\n") == Outcomes{"ok", "ok", "ok", "ok 40000", "ok", "ok"});
}

TEST_CASE("binding a specific IPv6 address makes the socket IPv6-only", "[kernel][bind]") {
    // inet6_bind sets sk_ipv6only: the socket can no longer bind or connect to IPv4-mapped addresses.
    REQUIRE(outcomes("socket s inet6\nbind s ::1 0\nconnect s ::1 5000\nbind s ::ffff:127.0.0.1 5000\n") ==
            Outcomes{"ok", "ok", "ECONNREFUSED", "EINVAL"});
    REQUIRE(outcomes("socket s inet6\nbind s ::1 5001\nconnect s ::ffff:127.0.0.1 5000\n") ==
            Outcomes{"ok", "ok", "ENETUNREACH"});
    REQUIRE(outcomes("socket s inet6\nbind s :: 0\nconnect s ::1 5000\nbind s ::ffff:127.0.0.1 5001\n") ==
            Outcomes{"ok", "ok", "ECONNREFUSED", "ok"});
}
