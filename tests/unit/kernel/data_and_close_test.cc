// Data, end of stream and resets (docs/kernel-model.md "TIME_WAIT and closing").
#include "tests/unit/kernel/script_outcomes.h"

using netsim::testing::outcomes;
using netsim::testing::Outcomes;

namespace {
const char* connected_pair =
    "socket s\nbind s 127.0.0.1 5000\nlisten s 5\nsocket c\nconnect c 127.0.0.1 5000\naccept s a\n";
std::string with_pair(const char* rest) { return std::string(connected_pair) + rest; }
Outcomes tail(const Outcomes& all, std::size_t n) { return Outcomes(all.end() - static_cast<long>(n), all.end()); }
}  // namespace

TEST_CASE("bytes sent arrive and can be read in pieces", "[kernel][data]") {
    REQUIRE(tail(outcomes(with_pair("send c 10\nrecv a 4\nrecv a 100\nrecv a 100\n")), 4) ==
            Outcomes{"ok 10", "ok 4", "ok 6", "EAGAIN"});
}

TEST_CASE("reading after the peer's FIN gives end of stream", "[kernel][data]") {
    REQUIRE(tail(outcomes(with_pair("send c 3\nclose c\nrecv a 10\nrecv a 10\n")), 4) ==
            Outcomes{"ok 3", "ok", "ok 3", "eof"});
}

TEST_CASE("closing with unread data resets the peer", "[kernel][data]") {
    REQUIRE(tail(outcomes(with_pair("send c 3\nclose a\nrecv c 10\nrecv c 10\nsend c 1\n")), 5) ==
            Outcomes{"ok 3", "ok", "ECONNRESET", "eof", "EPIPE"});
}

TEST_CASE("SO_LINGER 0 closes with RST and leaves no TIME_WAIT", "[kernel][data]") {
    const Outcomes got = outcomes(with_pair(
        "setsockopt a SO_LINGER 0\nclose a\nclose s\nrecv c 1\nsocket n\nbind n 127.0.0.1 5000\n"));
    REQUIRE(tail(got, 6) == Outcomes{"ok", "ok", "ok", "ECONNRESET", "ok", "ok"});
}

TEST_CASE("writing to a peer that closed gets RST back, then EPIPE", "[kernel][data]") {
    REQUIRE(tail(outcomes(with_pair("close a\nsend c 5\nsend c 5\nrecv c 1\n")), 4) ==
            Outcomes{"ok", "ok 5", "EPIPE", "eof"});
}

TEST_CASE("shutdown(wr) sends FIN but keeps reading", "[kernel][data]") {
    REQUIRE(tail(outcomes(with_pair("shutdown c wr\nrecv a 1\nsend a 4\nrecv c 10\nsend c 1\n")), 5) ==
            Outcomes{"ok", "eof", "ok 4", "ok 4", "EPIPE"});
}

TEST_CASE("operations on unconnected sockets fail as on Linux", "[kernel][data]") {
    REQUIRE(outcomes("socket c\nsend c 1\nrecv c 1\nshutdown c rdwr\naccept c x\nclose x\n") ==
            Outcomes{"ok", "EPIPE", "ENOTCONN", "ENOTCONN", "EINVAL", "EBADF"});
}

TEST_CASE("closing a listener resets connections nobody accepted", "[kernel][data]") {
    REQUIRE(outcomes("socket s\nbind s 127.0.0.1 5000\nlisten s 5\nsocket c\nconnect c 127.0.0.1 5000\n"
                     "close s\nrecv c 1\n")
                .back() == "ECONNRESET");
}

TEST_CASE("shutting down a listener disconnects it and clears earlier shutdown flags", "[kernel][data]") {
    // tcp_disconnect sets sk_shutdown = 0: the socket can connect again, and reads are ENOTCONN.
    REQUIRE(outcomes("socket s\nshutdown s rd\nlisten s 1\nshutdown s rdwr\nrecv s 1\n") ==
            Outcomes{"ok", "ENOTCONN", "ok", "ok", "ENOTCONN"});
}
