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
    REQUIRE(s.connections() == 1);  // kept after the close, for what is still in flight
}

TEST_CASE("a retransmitted SYN repeats its number; a new SYN after a reset starts afresh", "[trace][pcap]") {
    TcpSequence s;
    const TcpNumbers first = s.next(client, server, syn, 0);
    REQUIRE(s.next(client, server, syn, 0).seq == first.seq);
    const TcpNumbers refused = s.next(server, client, TcpFlags{false, true, false, true}, 0);
    REQUIRE(refused.ack == first.seq + 1);
    const TcpNumbers again = s.next(client, server, syn, 0);
    REQUIRE(again.seq != first.seq);  // a new connection serial, a new ISN
}

TEST_CASE("the same trace gives the same numbers", "[trace][pcap]") {
    TcpSequence a, b;
    REQUIRE(a.next(client, server, syn, 0).seq == b.next(client, server, syn, 0).seq);
    REQUIRE(a.next(server, client, syn_ack, 0).seq == b.next(server, client, syn_ack, 0).seq);
}

namespace {
constexpr TcpFlags rst{false, false, false, true}, rst_ack{false, true, false, true};

// Client and server through the handshake; returns the numbers each side sends next.
std::pair<std::uint32_t, std::uint32_t> establish(TcpSequence& s) {
    const TcpNumbers c_syn = s.next(client, server, syn, 0);
    const TcpNumbers s_syn = s.next(server, client, syn_ack, 0);
    s.next(client, server, ack, 0);
    return {c_syn.seq + 1, s_syn.seq + 1};
}
}  // namespace

TEST_CASE("a simultaneous close keeps both sides' numbers until the last ACK", "[trace][pcap]") {
    TcpSequence s;
    const auto [c_next, s_next] = establish(s);
    const TcpNumbers c_fin = s.next(client, server, fin_ack, 0);
    const TcpNumbers s_fin = s.next(server, client, fin_ack, 0);
    REQUIRE(c_fin.seq == c_next);
    REQUIRE(s_fin.seq == s_next);
    const TcpNumbers c_last = s.next(client, server, ack, 0);
    REQUIRE(c_last.seq == c_next + 1);
    REQUIRE(c_last.ack == s_next + 1);
    const TcpNumbers s_last = s.next(server, client, ack, 0);  // the server's ACK of the client's FIN
    REQUIRE(s_last.seq == s_next + 1);
    REQUIRE(s_last.ack == c_next + 1);
    REQUIRE(s.next(server, client, fin_ack, 0).seq == s_fin.seq);  // a FIN retransmitted after the close
}

TEST_CASE("segments after a reset continue the reset connection's numbers", "[trace][pcap]") {
    TcpSequence s;
    const auto [c_next, s_next] = establish(s);
    const TcpNumbers data = s.next(client, server, ack, 103);
    const TcpNumbers reset = s.next(server, client, rst_ack, 0);
    REQUIRE(reset.seq == s_next);
    REQUIRE(reset.ack == c_next + 103);
    const TcpNumbers c_fin = s.next(client, server, fin_ack, 0);  // sent before the reset arrived
    REQUIRE(c_fin.seq == data.seq + 103);
    REQUIRE(c_fin.ack == s_next);
    const TcpNumbers answer = s.next(server, client, rst_ack, 0);
    REQUIRE(answer.seq == s_next);  // RST consumes nothing
    REQUIRE(answer.ack == c_fin.seq + 1);
}

TEST_CASE("a SYN on a 4-tuple used before starts a new connection", "[trace][pcap]") {
    TcpSequence s;
    const auto [c_closed, s_closed] = establish(s);
    s.next(client, server, fin_ack, 0);
    s.next(server, client, fin_ack, 0);
    s.next(client, server, ack, 0);
    const TcpNumbers c_syn = s.next(client, server, syn, 0);
    REQUIRE(c_syn.seq != c_closed - 1);
    const TcpNumbers s_syn = s.next(server, client, syn_ack, 0);
    REQUIRE(s_syn.seq != s_closed - 1);
    REQUIRE(s_syn.ack == c_syn.seq + 1);
    const TcpNumbers c_ack = s.next(client, server, ack, 0);
    REQUIRE(c_ack.seq == c_syn.seq + 1);
    REQUIRE(c_ack.ack == s_syn.seq + 1);
    // After a reset that a FIN crossed, the next SYN is not a retransmission of anything.
    s.next(server, client, rst, 0);
    const TcpNumbers c_fin = s.next(client, server, fin_ack, 0);
    const TcpNumbers again = s.next(client, server, syn, 0);
    REQUIRE(again.seq != c_syn.seq);
    REQUIRE(again.seq != c_fin.seq);
    REQUIRE(s.next(server, client, syn_ack, 0).ack == again.seq + 1);
    REQUIRE(s.connections() == 1);  // one entry per 4-tuple, however often it is reused
}
