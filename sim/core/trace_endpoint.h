// An IP address with an optional port as a fixed-size trace value: components report the
// 16 address bytes and the port, and text ("127.0.0.1:8080", "[::1]:8080", "::ffff:10.0.0.1")
// is made only when a writer or a test asks for it. Hashing it costs one word (IPv4) or three
// (IPv6) and no formatting. The text form is the one canonical formatting of addresses in the project
// (RFC 5952 for IPv6); `net::IpAddress` and `net::SocketAddress` print through it.
#pragma once

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

namespace netsim {

struct TraceEndpoint {
    std::array<std::uint8_t, 16> bytes{};  // IPv4 in bytes[12..15]
    std::uint16_t port = 0;
    bool v6 = false;
    bool has_port = true;

    TraceEndpoint() = default;
    // Writes port, v6 and has_port with one 4-byte store: three narrow stores read back by the
    // wide load that copies the endpoint into a record defeat store forwarding (a stall on every
    // address a record carries).
    TraceEndpoint(const std::array<std::uint8_t, 16>& address, std::uint16_t port_number, bool is_v6, bool with_port)
        : bytes(address) {
        if constexpr (std::endian::native == std::endian::little) {
            const std::uint32_t tail = std::uint32_t{port_number} | std::uint32_t{is_v6} << 16 | std::uint32_t{with_port} << 24;
            std::memcpy(&port, &tail, sizeof tail);
        } else {
            port = port_number;
            v6 = is_v6;
            has_port = with_port;
        }
    }

    bool operator==(const TraceEndpoint&) const = default;
};
static_assert(offsetof(TraceEndpoint, port) == 16 && offsetof(TraceEndpoint, v6) == 18 &&
                  offsetof(TraceEndpoint, has_port) == 19 && sizeof(TraceEndpoint) == 20,
              "TraceEndpoint's constructor writes port, v6 and has_port as one word");

// Appends the text form: "a.b.c.d", "a.b.c.d:p", RFC 5952 IPv6, "[v6]:p".
void append_endpoint_text(std::string& out, const TraceEndpoint& endpoint);
std::string endpoint_text(const TraceEndpoint& endpoint);

}  // namespace netsim
