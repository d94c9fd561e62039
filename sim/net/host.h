// A simulated machine as the network sees it: a name, its addresses, and the receiver (its
// kernel) that segments addressed to it are handed to. Every host also owns the loopback
// addresses 127.0.0.0/8 and ::1, which never leave it.
#pragma once

#include "sim/net/ip_address.h"
#include "sim/net/segment.h"

#include <cstdint>
#include <string>
#include <vector>

namespace netsim::net {

struct HostId {
    std::uint32_t value = 0;
    auto operator<=>(const HostId&) const = default;
};

// Implemented by the layer above (the kernel model); the network does not own it.
class SegmentReceiver {
public:
    virtual ~SegmentReceiver() = default;
    virtual void receive_segment(const Segment& segment) = 0;
};

struct Host {
    HostId id;
    std::string name;
    std::vector<IpAddress> addresses;  // besides loopback
    SegmentReceiver* receiver = nullptr;

    // True for loopback addresses and for the host's own addresses (v4-mapped forms included).
    bool owns(const IpAddress& address) const;
    // The address a connection from this host to `destination` uses as its source (the
    // preferred source of the route Linux would take).
    IpAddress source_address_for(const IpAddress& destination) const;
};

}  // namespace netsim::net

template <>
struct fmt::formatter<netsim::net::HostId> : fmt::formatter<std::uint32_t> {
    auto format(netsim::net::HostId id, format_context& ctx) const {
        return fmt::formatter<std::uint32_t>::format(id.value, ctx);
    }
};
