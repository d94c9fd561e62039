#include "sim/net/host.h"

namespace netsim::net {

bool Host::owns(const IpAddress& address) const {
    const IpAddress a = address.unmapped();
    if (a.is_loopback()) return true;
    for (const IpAddress& own : addresses)
        if (own.unmapped() == a) return true;
    return false;
}

IpAddress Host::source_address_for(const IpAddress& destination) const {
    const IpAddress d = destination.unmapped();
    // The loopback route's preferred source is 127.0.0.1 for all of 127.0.0.0/8 (and ::1); a
    // connection to one of the host's own addresses comes from that address.
    if (d.is_loopback() || d.is_unspecified()) return IpAddress::loopback(d.family());
    if (owns(d)) return d;
    for (const IpAddress& own : addresses)
        if (own.family() == d.family()) return own;
    return IpAddress::any(d.family());
}

}  // namespace netsim::net
