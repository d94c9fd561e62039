// An IP address with an optional port as a fixed-size trace value: components report the
// 16 address bytes and the port, and text ("127.0.0.1:8080", "[::1]:8080", "::ffff:10.0.0.1")
// is made only when a writer or a test asks for it. Hashing it costs three words and no
// formatting. The text form is the one canonical formatting of addresses in the project
// (RFC 5952 for IPv6); `net::IpAddress` and `net::SocketAddress` print through it.
#pragma once

#include <array>
#include <cstdint>
#include <string>

namespace netsim {

struct TraceEndpoint {
    std::array<std::uint8_t, 16> bytes{};  // IPv4 in bytes[12..15]
    std::uint16_t port = 0;
    bool v6 = false;
    bool has_port = true;

    bool operator==(const TraceEndpoint&) const = default;
};

// Appends the text form: "a.b.c.d", "a.b.c.d:p", RFC 5952 IPv6, "[v6]:p".
void append_endpoint_text(std::string& out, const TraceEndpoint& endpoint);
std::string endpoint_text(const TraceEndpoint& endpoint);

}  // namespace netsim
