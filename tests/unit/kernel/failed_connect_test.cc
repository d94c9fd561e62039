// What a connect() that did not end in a connection leaves behind, for a non-blocking connect
// (the kernel API's own) and a blocking one (connect again once the handshake is over):
// tcp_done's shutdown flags, the bhash2 entry under the connect's source address, SO_ERROR, and
// the listen/connect refusals measured on Linux 6.18. Each case is a corpus script too.
#include "tests/unit/kernel/script_outcomes.h"

using netsim::testing::outcomes;
using netsim::testing::Outcomes;

TEST_CASE("a refused non-blocking connect reads end of stream until the next connect disconnects it",
          "[kernel][connect][failed]") {
    REQUIRE(outcomes("socket c\nconnect c 127.0.0.1 5000 nonblock\nerror c\nrecv c 10\nsend c 1\n"
                     "connect c 127.0.0.1 5000\nrecv c 10\nconnect c 127.0.0.1 5000 nonblock\n") ==
            Outcomes{"ok", "EINPROGRESS", "ECONNREFUSED", "eof", "EPIPE", "ECONNABORTED", "ENOTCONN", "EINPROGRESS"});
}

TEST_CASE("the next connect reports an unread refusal itself", "[kernel][connect][failed]") {
    REQUIRE(outcomes("socket c\nconnect c 127.0.0.1 5000 nonblock\nconnect c 127.0.0.1 5000 nonblock\n"
                     "recv c 10\nerror c\n") == Outcomes{"ok", "EINPROGRESS", "ECONNREFUSED", "ENOTCONN", "ok"});
}

TEST_CASE("a blocking connect that is refused is disconnected at once", "[kernel][connect][failed]") {
    REQUIRE(outcomes("socket c\nconnect c 127.0.0.1 5000\nrecv c 10\nsend c 1\nerror c\n") ==
            Outcomes{"ok", "ECONNREFUSED", "ENOTCONN", "EPIPE", "ok"});
}

TEST_CASE("a refused connect from 0.0.0.0:P keeps P under its source address until disconnected",
          "[kernel][connect][failed][bind]") {
    REQUIRE(outcomes("socket c\nbind c 0.0.0.0 6000\nconnect c 127.0.0.1 5000 nonblock\n"
                     "socket d\nbind d 127.0.0.2 6000\nsocket e\nbind e 127.0.0.1 6000\n"
                     "connect c 127.0.0.1 5000\nsocket g\nbind g 127.0.0.3 6000\n") ==
            Outcomes{"ok", "ok", "EINPROGRESS", "ok", "ok", "ok", "EADDRINUSE", "ECONNREFUSED", "ok", "EADDRINUSE"});
}

TEST_CASE("a non-blocking self-connect after shutdown(wr) closes without an error",
          "[kernel][connect][failed][self]") {
    REQUIRE(outcomes("socket s\nbind s 127.0.0.1 6000\nshutdown s wr\nconnect s 127.0.0.1 6000 nonblock\n"
                     "error s\nsend s 1\nrecv s 1\nconnect s 127.0.0.1 6000 nonblock\n") ==
            Outcomes{"ok", "ok", "ENOTCONN", "EINPROGRESS", "ok", "EPIPE", "eof", "ECONNABORTED"});
    // Blocking, the same connection is ECONNABORTED: the socket is in CLOSE when connect looks.
    REQUIRE(outcomes("socket s\nbind s 127.0.0.1 6000\nshutdown s rdwr\nconnect s 127.0.0.1 6000\nerror s\n") ==
            Outcomes{"ok", "ok", "ENOTCONN", "ECONNABORTED", "ok"});
}

TEST_CASE("shutdown after a failed non-blocking connect leaves the socket disconnecting",
          "[kernel][connect][failed]") {
    REQUIRE(outcomes("socket c\nconnect c 127.0.0.1 5000 nonblock\nshutdown c rd\nrecv c 10\n"
                     "connect c 127.0.0.1 5000\nlisten c 4\n") ==
            Outcomes{"ok", "EINPROGRESS", "ENOTCONN", "ECONNREFUSED", "EINVAL", "EINVAL"});
}

TEST_CASE("a second non-blocking connect after success is ok, a third EISCONN", "[kernel][connect]") {
    REQUIRE(outcomes("socket l\nbind l 127.0.0.1 5001\nlisten l 4\nsocket k\nconnect k 127.0.0.1 5001 nonblock\n"
                     "connect k 127.0.0.1 5001 nonblock\nconnect k 127.0.0.1 5001 nonblock\n") ==
            Outcomes{"ok", "ok", "ok", "ok", "EINPROGRESS", "ok", "EISCONN"});
}

TEST_CASE("listen after a failed connect takes its port, then fails (measured)", "[kernel][connect][failed][listen]") {
    REQUIRE(outcomes("sysctl ip_local_port_range 40000 40000\nsocket c\nconnect c 127.0.0.1 5000\nlisten c 4\n"
                     "socket d\nbind d 127.0.0.1 40000\n") == Outcomes{"ok", "ok", "ECONNREFUSED", "EINVAL", "ok", "EADDRINUSE"});
}

TEST_CASE("connect after a listener's shutdown(rd) is EINVAL, listen works again (measured)",
          "[kernel][connect][listen]") {
    REQUIRE(outcomes("socket s\nbind s 127.0.0.1 5000\nlisten s 4\nshutdown s rd\nconnect s 127.0.0.1 5000\n"
                     "listen s 4\nconnect s 127.0.0.1 5000\n") ==
            Outcomes{"ok", "ok", "ok", "ok", "EINVAL", "ok", "EISCONN"});
}
