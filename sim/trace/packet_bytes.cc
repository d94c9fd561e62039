#include "sim/trace/packet_bytes.h"

#include <algorithm>

namespace netsim::trace {

namespace {

constexpr std::size_t ethernet_bytes = 14, ipv4_bytes = 20, ipv6_bytes = 40, tcp_bytes = 20;

void put16(std::uint8_t* p, std::uint32_t v) {
    p[0] = static_cast<std::uint8_t>(v >> 8);
    p[1] = static_cast<std::uint8_t>(v);
}

void put32(std::uint8_t* p, std::uint32_t v) {
    put16(p, v >> 16);
    put16(p + 2, v & 0xffff);
}

std::uint16_t finish_checksum(std::uint32_t sum) {
    while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
    return static_cast<std::uint16_t>(~sum & 0xffff);
}

// The address bytes on the wire: 4 for IPv4, 16 for IPv6.
const std::uint8_t* address_bytes(const TraceEndpoint& e) { return e.v6 ? e.bytes.data() : e.bytes.data() + 12; }

}  // namespace

MacAddress mac_for_host(std::string_view host) {
    std::uint64_t h = 0xcbf29ce484222325ull;
    for (char c : host) h = (h ^ static_cast<std::uint8_t>(c)) * 0x100000001b3ull;
    MacAddress mac{0x02};
    for (std::size_t i = 1; i < mac.size(); ++i) mac[i] = static_cast<std::uint8_t>(h >> (8 * i));
    return mac;
}

std::uint32_t ones_complement_add(std::uint32_t sum, const std::uint8_t* bytes, std::size_t size) {
    std::size_t i = 0;
    for (; i + 1 < size; i += 2) sum += (std::uint32_t{bytes[i]} << 8) | bytes[i + 1];
    if (i < size) sum += std::uint32_t{bytes[i]} << 8;
    while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
    return sum;
}

std::size_t append_frame(std::string& out, const FrameSpec& f) {
    const bool v6 = f.src.v6;
    const std::size_t ip_bytes = v6 ? ipv6_bytes : ipv4_bytes;
    const std::size_t address_size = v6 ? 16 : 4;
    const std::uint32_t tcp_length = static_cast<std::uint32_t>(tcp_bytes) + f.payload_bytes;
    std::array<std::uint8_t, ethernet_bytes + ipv6_bytes + tcp_bytes> h{};
    // Ethernet II
    std::copy(f.dst_mac.begin(), f.dst_mac.end(), h.begin());
    std::copy(f.src_mac.begin(), f.src_mac.end(), h.begin() + 6);
    put16(&h[12], v6 ? 0x86dd : 0x0800);
    std::uint8_t* ip = &h[ethernet_bytes];
    std::uint8_t* tcp = ip + ip_bytes;
    if (v6) {
        ip[0] = 0x60;
        put16(ip + 4, tcp_length);
        ip[6] = 6;    // next header: TCP
        ip[7] = 64;   // hop limit
        std::copy_n(address_bytes(f.src), 16, ip + 8);
        std::copy_n(address_bytes(f.dst), 16, ip + 24);
    } else {
        ip[0] = 0x45;  // version 4, 5 words of header
        put16(ip + 2, static_cast<std::uint32_t>(ipv4_bytes) + tcp_length);
        put16(ip + 4, f.ip_id);
        put16(ip + 6, 0x4000);  // don't fragment
        ip[8] = 64;             // TTL
        ip[9] = 6;              // protocol: TCP
        std::copy_n(address_bytes(f.src), 4, ip + 12);
        std::copy_n(address_bytes(f.dst), 4, ip + 16);
        put16(ip + 10, finish_checksum(ones_complement_add(0, ip, ipv4_bytes)));
    }
    put16(tcp, f.src.port);
    put16(tcp + 2, f.dst.port);
    put32(tcp + 4, f.numbers.seq);
    put32(tcp + 8, f.numbers.ack);
    tcp[12] = 5 << 4;  // data offset: 5 words, no options
    tcp[13] = static_cast<std::uint8_t>((f.flags.fin ? 0x01 : 0) | (f.flags.syn ? 0x02 : 0) | (f.flags.rst ? 0x04 : 0) |
                                        (f.flags.ack ? 0x10 : 0));
    put16(tcp + 14, 65535);  // window
    // Pseudo-header (RFC 9293 §3.1 / RFC 8200 §8.1), then the header; the zero payload adds nothing.
    std::uint32_t sum = ones_complement_add(0, address_bytes(f.src), address_size);
    sum = ones_complement_add(sum, address_bytes(f.dst), address_size);
    sum += 6 + (tcp_length >> 16) + (tcp_length & 0xffff);
    sum = ones_complement_add(sum, tcp, tcp_bytes);
    put16(tcp + 16, finish_checksum(sum));
    const std::size_t header_size = ethernet_bytes + ip_bytes + tcp_bytes;
    out.append(reinterpret_cast<const char*>(h.data()), header_size);
    out.append(f.payload_bytes, '\0');
    return header_size + f.payload_bytes;
}

}  // namespace netsim::trace
