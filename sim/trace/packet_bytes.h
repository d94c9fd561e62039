// The bytes of one simulated TCP segment as a wire frame: Ethernet II (MAC addresses derived
// from the host names, locally administered), IPv4 (RFC 791, DF set, TTL 64, an ID counting
// frames) or IPv6 (RFC 8200, hop limit 64), and a 20-byte TCP header (RFC 9293 §3.1, no
// options, window 65535) with both checksums correct (RFC 1071; the TCP one over the
// pseudo-header). The payload is zeros: the simulation carries lengths, not bytes.
#pragma once

#include "sim/core/trace_endpoint.h"
#include "sim/trace/tcp_sequence.h"

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace netsim::trace {

using MacAddress = std::array<std::uint8_t, 6>;

// 02:xx:xx:xx:xx:xx from a hash of the host's name.
MacAddress mac_for_host(std::string_view host);

struct FrameSpec {
    MacAddress src_mac{}, dst_mac{};
    TraceEndpoint src, dst;  // the same family; IPv4 in bytes[12..15]
    TcpFlags flags;
    TcpNumbers numbers;
    std::uint32_t payload_bytes = 0;  // at most max_payload_bytes
    std::uint16_t ip_id = 0;
};

inline constexpr std::uint32_t max_payload_bytes = 65'000;  // fits an IPv4 datagram's 16-bit length

// Appends the frame to `out` and returns its length.
std::size_t append_frame(std::string& out, const FrameSpec& frame);

// The Internet checksum (RFC 1071) of `bytes`, folded, not inverted, added to `sum`.
std::uint32_t ones_complement_add(std::uint32_t sum, const std::uint8_t* bytes, std::size_t size);

}  // namespace netsim::trace
