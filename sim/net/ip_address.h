// IP addresses (IPv4 and IPv6, including IPv4-mapped IPv6) and socket addresses: parsing,
// RFC 5952 formatting, and the predicates the port table and routing need (wildcard, loopback,
// v4-mapped). Values are plain, totally ordered and hashable by content, never by address.
#pragma once

#include "sim/core/trace_endpoint.h"

#include <fmt/format.h>

#include <array>
#include <bit>
#include <compare>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

namespace netsim::net {

enum class IpFamily : std::uint8_t { v4, v6 };

using Port = std::uint16_t;

class IpAddress {
public:
    // 0.0.0.0
    IpAddress() = default;
    static IpAddress v4(std::uint32_t host_order);
    static IpAddress v4(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d);
    static IpAddress v6(const std::array<std::uint8_t, 16>& bytes);
    static IpAddress any(IpFamily family);       // 0.0.0.0 or ::
    static IpAddress loopback(IpFamily family);  // 127.0.0.1 or ::1
    // Dotted quad, or any RFC 4291 text form (with "::" and an embedded dotted quad).
    static std::optional<IpAddress> parse(std::string_view text);

    IpFamily family() const { return family_; }
    bool is_v4() const { return family_ == IpFamily::v4; }
    bool is_v6() const { return family_ == IpFamily::v6; }
    const std::array<std::uint8_t, 16>& bytes() const { return bytes_; }  // v4 in bytes[12..15]
    std::uint32_t v4_host_order() const;

    // 0.0.0.0 or ::
    bool is_unspecified() const { return (word(0) | word(1)) == 0; }
    bool is_loopback() const;  // 127.0.0.0/8, ::1, or ::ffff:127.x.y.z
    // ::ffff:a.b.c.d (an IPv6 address): bytes 0..9 zero, bytes 10 and 11 0xff.
    bool is_v4_mapped() const {
        std::uint32_t middle;
        std::memcpy(&middle, bytes_.data() + 8, 4);
        return is_v6() && word(0) == 0 && middle == v4_mapped_marker;
    }
    // The IPv4 address inside a v4-mapped one; any other address unchanged.
    IpAddress unmapped() const {
        if (!is_v4_mapped()) return *this;
        IpAddress a = *this;
        a.family_ = IpFamily::v4;
        a.bytes_[10] = a.bytes_[11] = 0;
        return a;
    }
    // ::ffff:a.b.c.d for an IPv4 address; an IPv6 address unchanged.
    IpAddress mapped_v6() const;

    // Family first, then the bytes in lexicographic order, as a member-wise comparison would
    // order them, but compared as two words instead of through memcmp.
    friend bool operator==(const IpAddress& a, const IpAddress& b) {
        return a.family_ == b.family_ && a.word(0) == b.word(0) && a.word(1) == b.word(1);
    }
    friend std::strong_ordering operator<=>(const IpAddress& a, const IpAddress& b) {
        if (a.family_ != b.family_) return a.family_ <=> b.family_;
        if (a.word(0) != b.word(0)) return a.big_endian_word(0) <=> b.big_endian_word(0);
        return a.big_endian_word(1) <=> b.big_endian_word(1);
    }
    std::string to_string() const;
    // This address as a trace value (no port), or with `port`.
    TraceEndpoint trace() const { return TraceEndpoint{bytes_, 0, is_v6(), false}; }
    TraceEndpoint trace(Port port) const { return TraceEndpoint{bytes_, port, is_v6(), true}; }

private:
    // Bytes 8..11 of a v4-mapped address (0, 0, 0xff, 0xff) read as one native word.
    static constexpr std::uint32_t v4_mapped_marker =
        std::endian::native == std::endian::little ? 0xffff0000U : 0x0000ffffU;
    std::uint64_t word(int i) const {
        std::uint64_t w;
        std::memcpy(&w, bytes_.data() + 8 * i, 8);
        return w;
    }
    // Bytes 8i..8i+7 as a number whose order is their lexicographic order.
    std::uint64_t big_endian_word(int i) const {
        const std::uint64_t w = word(i);
        if constexpr (std::endian::native == std::endian::little) return __builtin_bswap64(w);
        return w;
    }

    IpFamily family_ = IpFamily::v4;
    std::array<std::uint8_t, 16> bytes_{};
};

struct SocketAddress {
    IpAddress ip;
    Port port = 0;
    auto operator<=>(const SocketAddress&) const = default;
    // "127.0.0.1:8080", "[::1]:8080"
    std::string to_string() const;
    // This address as a trace value, formatted only when a writer prints it.
    TraceEndpoint trace() const { return ip.trace(port); }
};

}  // namespace netsim::net

template <>
struct fmt::formatter<netsim::net::IpAddress> : fmt::formatter<std::string_view> {
    auto format(const netsim::net::IpAddress& a, format_context& ctx) const {
        return fmt::formatter<std::string_view>::format(a.to_string(), ctx);
    }
};

template <>
struct fmt::formatter<netsim::net::SocketAddress> : fmt::formatter<std::string_view> {
    auto format(const netsim::net::SocketAddress& a, format_context& ctx) const {
        return fmt::formatter<std::string_view>::format(a.to_string(), ctx);
    }
};
