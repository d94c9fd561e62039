// Host address rules (see host_addresses.h).
#include "scenarios/host_addresses.h"

#include <fmt/format.h>

namespace netsim::scenarios {

namespace {

// What kind of address no host can own, if `ip` (unmapped) is one.
std::optional<std::string_view> unownable_kind(const net::IpAddress& ip) {
    if (ip.is_unspecified()) return "the unspecified address";
    if (ip.is_loopback()) return "loopback: every host has it already";
    if (ip.is_v4()) {
        const std::uint32_t a = ip.v4_host_order();
        if (a == 0xffffffffu) return "broadcast";
        if ((a >> 28) == 0xe) return "multicast";
        if ((a >> 28) == 0xf) return "reserved";
    } else if (ip.bytes()[0] == 0xff) {
        return "multicast";
    }
    return std::nullopt;
}

}  // namespace

std::optional<std::string> host_address_problem(const net::IpAddress& ip, const std::vector<HostSpec>& hosts) {
    const net::IpAddress key = ip.unmapped();
    if (const auto kind = unownable_kind(key)) return fmt::format("a host cannot own {} ({})", ip.to_string(), *kind);
    for (std::size_t i = 0; i < hosts.size(); ++i) {
        for (const net::IpAddress& owned : hosts[i].addresses) {
            if (owned.unmapped() != key) continue;
            const std::string named = ip == key ? ip.to_string() : fmt::format("{} (the IPv4 address {})", ip.to_string(), key.to_string());
            if (i + 1 == hosts.size()) return fmt::format("{} is already an address of this host", named);
            return fmt::format("{} is already an address of host {}", named, hosts[i].name);
        }
    }
    return std::nullopt;
}

}  // namespace netsim::scenarios
