#include "sim/trace/pcap_format.h"

#include "sim/trace/packet_bytes.h"
#include "tests/support/catch.h"
#include "tests/unit/trace/sample_records.h"

using namespace netsim;
using namespace netsim::trace;
using netsim::testing::RecordMaker;
using netsim::testing::v4;
using netsim::testing::v6_loopback;

namespace {

std::uint32_t le32(const std::string& s, std::size_t at) {
    std::uint32_t v = 0;
    for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<std::uint8_t>(s[at + static_cast<std::size_t>(i)]);
    return v;
}

std::uint32_t be16(const std::string& s, std::size_t at) {
    return (std::uint32_t{static_cast<std::uint8_t>(s[at])} << 8) | static_cast<std::uint8_t>(s[at + 1]);
}

const std::uint8_t* bytes(const std::string& s, std::size_t at) { return reinterpret_cast<const std::uint8_t*>(s.data() + at); }

// A correct checksum makes the one's complement sum over the covered bytes 0xffff (RFC 1071).
bool ipv4_checksum_ok(const std::string& frame, std::size_t ip) { return ones_complement_add(0, bytes(frame, ip), 20) == 0xffff; }

bool tcp_checksum_ok(const std::string& frame, std::size_t ip, std::size_t address_size, std::size_t tcp_length) {
    const std::size_t src = address_size == 4 ? ip + 12 : ip + 8;
    std::uint32_t sum = ones_complement_add(0, bytes(frame, src), 2 * address_size);
    sum += 6 + static_cast<std::uint32_t>(tcp_length);
    const std::size_t tcp = ip + (address_size == 4 ? 20 : 40);
    return ones_complement_add(sum, bytes(frame, tcp), tcp_length) == 0xffff;
}

}  // namespace

TEST_CASE("a pcap starts with the nanosecond libpcap header for Ethernet", "[trace][pcap]") {
    std::string out;
    PcapFormat f;
    f.begin(out);
    REQUIRE(out.size() == 24);
    REQUIRE(le32(out, 0) == 0xa1b23c4d);
    REQUIRE(le32(out, 4) == (2u | 4u << 16));
    REQUIRE(le32(out, 20) == 1);
}

TEST_CASE("a segment becomes one Ethernet/IPv4/TCP frame stamped with its instant", "[trace][pcap]") {
    RecordMaker m;
    std::string out;
    PcapFormat f;
    f.record(m.segment(1'012'718'137, v4(127, 0, 0, 1, 37958), v4(127, 0, 0, 1, 42293), 3, "SYN|ACK", 27), out);
    f.record(m.make(5, "machine/kernel", "tcp.state", {}), out);  // not a segment: skipped
    REQUIRE(f.frames() == 1);
    REQUIRE(le32(out, 0) == 1);            // seconds
    REQUIRE(le32(out, 4) == 12'718'137);   // nanoseconds
    const std::uint32_t length = le32(out, 8);
    REQUIRE(length == 14 + 20 + 20 + 27);
    REQUIRE(le32(out, 12) == length);
    REQUIRE(out.size() == 16 + length);
    const std::string frame = out.substr(16);
    REQUIRE(be16(frame, 12) == 0x0800);
    REQUIRE(be16(frame, 14 + 2) == 20 + 20 + 27);  // IPv4 total length
    REQUIRE(ipv4_checksum_ok(frame, 14));
    REQUIRE(be16(frame, 34) == 37958);
    REQUIRE(be16(frame, 36) == 42293);
    REQUIRE(static_cast<std::uint8_t>(frame[34 + 13]) == 0x12);  // SYN, ACK
    REQUIRE(tcp_checksum_ok(frame, 14, 4, 20 + 27));
}

TEST_CASE("an IPv6 segment gets an IPv6 header and a checksum over its pseudo-header", "[trace][pcap]") {
    RecordMaker m;
    std::string out;
    PcapFormat f;
    f.record(m.segment(0, v6_loopback(5000), v6_loopback(80), 8, "RST", 0), out);
    const std::string frame = out.substr(16);
    REQUIRE(frame.size() == 14 + 40 + 20);
    REQUIRE(be16(frame, 12) == 0x86dd);
    REQUIRE(static_cast<std::uint8_t>(frame[14]) == 0x60);
    REQUIRE(be16(frame, 14 + 4) == 20);  // payload length
    REQUIRE(static_cast<std::uint8_t>(frame[54 + 13]) == 0x04);  // RST
    REQUIRE(tcp_checksum_ok(frame, 14, 16, 20));
}

TEST_CASE("flag names parse back to TCP flags", "[trace][pcap]") {
    const TcpFlags f = parse_flag_names("FIN|ACK");
    REQUIRE((f.fin && f.ack && !f.syn && !f.rst));
    REQUIRE_FALSE(parse_flag_names("-").ack);
}
