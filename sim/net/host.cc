#include "sim/net/host.h"

namespace netsim::net {

std::string Segment::flag_names() const {
    std::string out;
    auto add = [&](SegmentFlag f, const char* name) {
        if (!has(f)) return;
        if (!out.empty()) out += '|';
        out += name;
    };
    add(flag_syn, "SYN");
    add(flag_fin, "FIN");
    add(flag_rst, "RST");
    add(flag_ack, "ACK");
    return out.empty() ? "-" : out;
}

bool Host::owns(const IpAddress& address) const {
    const IpAddress a = address.unmapped();
    if (a.is_loopback()) return true;
    for (const IpAddress& own : addresses)
        if (own.unmapped() == a) return true;
    return false;
}

IpAddress Host::source_address_for(const IpAddress& destination) const {
    const IpAddress d = destination.unmapped();
    if (d.is_loopback() || owns(d) || d.is_unspecified()) return d.is_unspecified() ? IpAddress::loopback(d.family()) : d;
    for (const IpAddress& own : addresses)
        if (own.family() == d.family()) return own;
    return IpAddress::any(d.family());
}

}  // namespace netsim::net
