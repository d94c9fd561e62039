#include "sim/net/ip_address.h"

#include <charconv>
#include <vector>

namespace netsim::net {

namespace {

std::optional<std::uint32_t> parse_dotted_quad(std::string_view text) {
    std::uint32_t value = 0;
    std::size_t pos = 0;
    for (int part_index = 0; part_index < 4; ++part_index) {
        const std::size_t end = part_index < 3 ? text.find('.', pos) : text.size();
        if (end == std::string_view::npos) return std::nullopt;
        std::string_view part = text.substr(pos, end - pos);
        if (part.empty() || part.size() > 3 || (part.size() > 1 && part[0] == '0')) return std::nullopt;
        unsigned octet = 0;
        auto [ptr, ec] = std::from_chars(part.data(), part.data() + part.size(), octet);
        if (ec != std::errc() || ptr != part.data() + part.size() || octet > 255) return std::nullopt;
        value = (value << 8) | octet;
        pos = end + 1;
    }
    return value;
}

bool parse_hex_group(std::string_view part, std::uint16_t& out) {
    if (part.empty() || part.size() > 4) return false;
    unsigned value = 0;
    auto [ptr, ec] = std::from_chars(part.data(), part.data() + part.size(), value, 16);
    if (ec != std::errc() || ptr != part.data() + part.size()) return false;
    out = static_cast<std::uint16_t>(value);
    return true;
}

// Parses one side of "::" into 16-bit groups; an embedded dotted quad counts as two groups and
// is allowed only as the last group of the address (`may_end_in_v4`).
bool parse_groups(std::string_view text, bool may_end_in_v4, std::vector<std::uint16_t>& groups) {
    if (text.empty()) return true;
    std::size_t pos = 0;
    for (;;) {
        std::size_t end = text.find(':', pos);
        std::string_view part = text.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
        if (end == std::string_view::npos && may_end_in_v4 && part.find('.') != std::string_view::npos) {
            auto v4 = parse_dotted_quad(part);
            if (!v4) return false;
            groups.push_back(static_cast<std::uint16_t>(*v4 >> 16));
            groups.push_back(static_cast<std::uint16_t>(*v4 & 0xffff));
            return true;
        }
        std::uint16_t g = 0;
        if (!parse_hex_group(part, g)) return false;
        groups.push_back(g);
        if (end == std::string_view::npos) return true;
        pos = end + 1;
    }
}

std::optional<std::array<std::uint8_t, 16>> parse_v6(std::string_view text) {
    std::vector<std::uint16_t> head, tail;
    const std::size_t gap = text.find("::");
    if (gap != std::string_view::npos) {
        if (text.find("::", gap + 1) != std::string_view::npos) return std::nullopt;
        if (!parse_groups(text.substr(0, gap), false, head)) return std::nullopt;
        if (!parse_groups(text.substr(gap + 2), true, tail)) return std::nullopt;
        if (head.size() + tail.size() > 7) return std::nullopt;
    } else {
        if (!parse_groups(text, true, head) || head.size() != 8) return std::nullopt;
    }
    std::array<std::uint16_t, 8> groups{};
    for (std::size_t i = 0; i < head.size(); ++i) groups[i] = head[i];
    for (std::size_t i = 0; i < tail.size(); ++i) groups[8 - tail.size() + i] = tail[i];
    std::array<std::uint8_t, 16> bytes{};
    for (std::size_t i = 0; i < 8; ++i) {
        bytes[2 * i] = static_cast<std::uint8_t>(groups[i] >> 8);
        bytes[2 * i + 1] = static_cast<std::uint8_t>(groups[i] & 0xff);
    }
    return bytes;
}

}  // namespace

IpAddress IpAddress::v4(std::uint32_t host_order) {
    IpAddress a;
    a.family_ = IpFamily::v4;
    a.bytes_[12] = static_cast<std::uint8_t>(host_order >> 24);
    a.bytes_[13] = static_cast<std::uint8_t>(host_order >> 16);
    a.bytes_[14] = static_cast<std::uint8_t>(host_order >> 8);
    a.bytes_[15] = static_cast<std::uint8_t>(host_order);
    return a;
}

IpAddress IpAddress::v4(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d) {
    return v4((std::uint32_t{a} << 24) | (std::uint32_t{b} << 16) | (std::uint32_t{c} << 8) | d);
}

IpAddress IpAddress::v6(const std::array<std::uint8_t, 16>& bytes) {
    IpAddress a;
    a.family_ = IpFamily::v6;
    a.bytes_ = bytes;
    return a;
}

IpAddress IpAddress::any(IpFamily family) { return family == IpFamily::v4 ? v4(0) : v6({}); }

IpAddress IpAddress::loopback(IpFamily family) {
    if (family == IpFamily::v4) return v4(127, 0, 0, 1);
    std::array<std::uint8_t, 16> b{};
    b[15] = 1;
    return v6(b);
}

std::optional<IpAddress> IpAddress::parse(std::string_view text) {
    if (text.find(':') == std::string_view::npos) {
        auto v = parse_dotted_quad(text);
        if (!v) return std::nullopt;
        return v4(*v);
    }
    auto bytes = parse_v6(text);
    if (!bytes) return std::nullopt;
    return v6(*bytes);
}

std::uint32_t IpAddress::v4_host_order() const {
    return (std::uint32_t{bytes_[12]} << 24) | (std::uint32_t{bytes_[13]} << 16) |
           (std::uint32_t{bytes_[14]} << 8) | bytes_[15];
}

bool IpAddress::is_loopback() const {
    if (is_v4() || is_v4_mapped()) return bytes_[12] == 127;
    for (int i = 0; i < 15; ++i)
        if (bytes_[static_cast<std::size_t>(i)] != 0) return false;
    return bytes_[15] == 1;
}

IpAddress IpAddress::mapped_v6() const {
    if (is_v6()) return *this;
    std::array<std::uint8_t, 16> b = bytes_;
    b[10] = 0xff;
    b[11] = 0xff;
    return v6(b);
}

std::string IpAddress::to_string() const { return endpoint_text(trace()); }

std::string SocketAddress::to_string() const { return endpoint_text(trace()); }

}  // namespace netsim::net
