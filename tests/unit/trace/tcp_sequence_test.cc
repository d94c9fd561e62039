#include "sim/trace/tcp_sequence.h"

#include "tests/support/catch.h"
#include "tests/unit/trace/sample_records.h"

using namespace netsim::trace;
using netsim::testing::v4;

namespace {
const auto client = v4(127, 0, 0, 1, 37958);
const auto server = v4(127, 0, 0, 1, 42293);
constexpr TcpFlags syn{true, false, false, false}, syn_ack{true, true, false, false}, ack{false, true, false, false},
    fin_ack{false, true, true, false};
}  // namespace

TEST_CASE("a handshake, data and a close follow RFC 9293's numbering", "[trace][pcap]") {
    TcpSequence s;
    const TcpNumbers c_syn = s.next(client, server, syn, 0);
    const TcpNumbers s_syn = s.next(server, client, syn_ack, 0);
    REQUIRE(s_syn.ack == c_syn.seq + 1);  // SYN consumes one
    const TcpNumbers c_ack = s.next(client, server, ack, 0);
    REQUIRE(c_ack.seq == c_syn.seq + 1);
    REQUIRE(c_ack.ack == s_syn.seq + 1);
    const TcpNumbers data = s.next(server, client, ack, 27);
    REQUIRE(data.seq == s_syn.seq + 1);
    const TcpNumbers c_fin = s.next(client, server, fin_ack, 0);
    REQUIRE(c_fin.ack == s_syn.seq + 1 + 27);  // payload advances by its length
    const TcpNumbers s_fin = s.next(server, client, fin_ack, 0);
    REQUIRE(s_fin.ack == c_fin.seq + 1);  // FIN consumes one
    const TcpNumbers last = s.next(client, server, ack, 0);
    REQUIRE(last.seq == c_fin.seq + 1);
    REQUIRE(last.ack == s_fin.seq + 1);
    REQUIRE(s.connections() == 0);  // both FINs acknowledged: forgotten
}

TEST_CASE("a retransmitted SYN repeats its number; a new SYN after a reset starts afresh", "[trace][pcap]") {
    TcpSequence s;
    const TcpNumbers first = s.next(client, server, syn, 0);
    REQUIRE(s.next(client, server, syn, 0).seq == first.seq);
    const TcpNumbers refused = s.next(server, client, TcpFlags{false, true, false, true}, 0);
    REQUIRE(refused.ack == first.seq + 1);
    REQUIRE(s.connections() == 0);
    const TcpNumbers again = s.next(client, server, syn, 0);
    REQUIRE(again.seq != first.seq);  // a new connection serial, a new ISN
}

TEST_CASE("the same trace gives the same numbers", "[trace][pcap]") {
    TcpSequence a, b;
    REQUIRE(a.next(client, server, syn, 0).seq == b.next(client, server, syn, 0).seq);
    REQUIRE(a.next(server, client, syn_ack, 0).seq == b.next(server, client, syn_ack, 0).seq);
}
