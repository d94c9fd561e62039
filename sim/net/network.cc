#include "sim/net/network.h"

#include "sim/core/check.h"

#include <cstring>

namespace netsim::net {

namespace {
const Duration tcp_rto_min = Duration::milliseconds(200);  // Linux TCP_RTO_MIN
const Duration tcp_rto_max = Duration::seconds(120);       // Linux TCP_RTO_MAX
}  // namespace

Network::Network(Simulation& sim)
    : sim_(sim), jitter_rng_(sim.rng_stream("network_jitter")), loss_rng_(sim.rng_stream("network_loss")) {}

HostId Network::add_host(std::string name, std::vector<IpAddress> addresses) {
    for (const Host& h : hosts_) NETSIM_CHECK_MSG(h.name != name, "duplicate host name {}", name);
    HostId id{static_cast<std::uint32_t>(hosts_.size())};
    for (const IpAddress& a : addresses) {
        const IpAddress key = a.unmapped();
        NETSIM_CHECK_MSG(!key.is_loopback() && !key.is_unspecified(), "host {} cannot own {}", name, key);
        const bool added = address_owner_.insert(key, id.value);
        NETSIM_CHECK_MSG(added, "address {} already owned", key);
    }
    hosts_.push_back(Host{id, std::move(name), std::move(addresses), nullptr});
    return id;
}

void Network::attach_receiver(HostId host, SegmentReceiver* receiver) {
    NETSIM_CHECK(host.value < hosts_.size());
    hosts_[host.value].receiver = receiver;
}

const Host& Network::host(HostId id) const {
    NETSIM_CHECK(id.value < hosts_.size());
    return hosts_[id.value];
}

std::optional<HostId> Network::host_with_address(const IpAddress& address) const {
    const std::optional<std::uint32_t> owner = address_owner_.find(address.unmapped());
    if (!owner) return std::nullopt;
    return HostId{*owner};
}

std::uint64_t Network::AddressHash::of(const IpAddress& address) {
    std::uint64_t a, b;
    std::memcpy(&a, address.bytes().data(), 8);
    std::memcpy(&b, address.bytes().data() + 8, 8);
    return (a * 0xff51afd7ed558ccdULL) ^ b ^ static_cast<std::uint64_t>(address.family());
}

Network::Path* Network::route(HostId from, const IpAddress& destination) {
    const RouteKey key{from.value, destination};
    if (const std::optional<std::uint32_t> i = routes_.find(key)) return &paths_[*i];
    HostId to = from;
    if (!host(from).owns(destination)) {
        const std::optional<HostId> owner = host_with_address(destination);
        if (!owner) return nullptr;
        to = *owner;
    }
    Path& p = path(from, to);
    const bool cached = routes_.insert(key, p.index);
    NETSIM_CHECK(cached);
    return &p;
}

Network::Path& Network::path(HostId from, HostId to) {
    const std::uint64_t key = std::uint64_t{from.value} << 32 | to.value;
    if (const std::optional<std::uint32_t> i = path_index_.find(key)) return paths_[*i];
    const bool added = path_index_.insert(key, static_cast<std::uint32_t>(paths_.size()));
    NETSIM_CHECK(added);
    Path& p = paths_.emplace_back();
    p.index = static_cast<std::uint32_t>(paths_.size() - 1);
    p.from = from;
    p.to = to;
    return p;
}

void Network::set_link(HostId a, HostId b, const LinkConfig& config) {
    NETSIM_CHECK_MSG(a != b, "a host's loopback has no link properties");
    path(a, b).config = config;
    path(b, a).config = config;
}

void Network::partition(HostId a, HostId b) { set_fault(a, b, &Path::partitioned, true, "partition"); }
void Network::heal(HostId a, HostId b) { set_fault(a, b, &Path::partitioned, false, "heal"); }
void Network::hold(HostId a, HostId b) { set_fault(a, b, &Path::held, true, "hold"); }
void Network::release(HostId a, HostId b) { set_fault(a, b, &Path::held, false, "release"); }

void Network::set_fault(HostId a, HostId b, bool Path::*fault, bool on, TraceKind kind) {
    sim_.record(source_, kind, {{"a", host(a).name}, {"b", host(b).name}});
    for (Path* p : {&path(a, b), &path(b, a)}) {
        p->*fault = on;
        flush_waiting(*p);
    }
}

void Network::flush_waiting(Path& p) {
    if (p.held || p.partitioned) return;
    while (!p.waiting.empty()) {
        schedule_delivery(p, p.waiting.front(), Duration::zero());
        p.waiting.pop_front();
    }
}

void Network::record_segment(TraceKind kind, const Path& p, const Segment& s) {
    sim_.record<6>(source_, kind, [&](auto& fields) {
        fields.add("from", std::string_view(host(p.from).name));
        fields.add("to", std::string_view(host(p.to).name));
        fields.add("src", s.src.ip.trace(s.src.port));
        fields.add("dst", s.dst.ip.trace(s.dst.port));
        fields.add("flags", s.flag_label());
        fields.add("bytes", std::int64_t{s.payload_bytes});
    });
}

Duration Network::delay_for(const Path& p) {
    if (p.from == p.to) return Duration::zero();
    const LinkConfig& c = p.config ? *p.config : default_link_;
    Duration d = c.latency;
    if (c.jitter > Duration::zero()) d += Duration::nanoseconds(jitter_rng_.between(0, c.jitter.count_ns()));
    return d;
}

void Network::send(HostId from, const Segment& segment, RouteHint* hint) {
    Path* route_path = nullptr;
    if (hint != nullptr && hint->path != RouteHint::none && hint->destination == segment.dst.ip) {
        route_path = &paths_[hint->path];
    } else {
        route_path = route(from, segment.dst.ip);
        if (hint != nullptr && route_path != nullptr) *hint = RouteHint{segment.dst.ip, route_path->index};
    }
    if (route_path == nullptr) {
        sim_.record(source_, "unroutable", {{"from", host(from).name}, {"dst", segment.dst.trace()},
                                            {"flags", segment.flag_label()}});
        return;
    }
    Path& p = *route_path;
    record("tx", p, segment);
    const bool is_handshake = segment.has(flag_syn);
    if (p.held || (p.partitioned && !is_handshake)) {
        record("wait", p, segment);
        p.waiting.push_back(segment);
        return;
    }
    if (p.partitioned) {
        record("drop", p, segment);
        return;
    }
    Duration extra = Duration::zero();
    if (p.from != p.to) {
        const LinkConfig& c = p.config ? *p.config : default_link_;
        if (c.loss_numerator > 0) {
            // Each loss of a non-handshake segment costs one retransmission timeout.
            for (Duration rto = tcp_rto_min; loss_rng_.chance(c.loss_numerator, c.loss_denominator);
                 rto = std::min(rto * 2, tcp_rto_max)) {
                if (is_handshake) {
                    record("drop", p, segment);
                    return;
                }
                extra += rto;
            }
        }
    }
    schedule_delivery(p, segment, extra);
}

void Network::schedule_delivery(Path& p, const Segment& segment, Duration extra_delay) {
    Instant at = sim_.now() + delay_for(p) + extra_delay;
    if (at < p.last_delivery) at = p.last_delivery;  // never overtake an earlier segment
    p.last_delivery = at;
    p.in_flight.emplace_back(at, segment);  // built in place, not copied twice
    sim_.schedule_at(at, [this, path_ptr = &p] { deliver_head(*path_ptr); });
}

void Network::deliver_head(Path& p) {
    // Whichever delivery event of this path runs first delivers the oldest segment, so
    // tie-shuffled events of one path cannot reorder its segments.
    NETSIM_CHECK(!p.in_flight.empty());
    NETSIM_CHECK_OP(p.in_flight.front().deliver_at, <=, sim_.now());
    const Segment segment = p.in_flight.front().segment;
    p.in_flight.pop_front();
    SegmentReceiver* receiver = host(p.to).receiver;
    if (receiver == nullptr) {
        record("drop", p, segment);
        return;
    }
    receiver->receive_segment(segment);
}

}  // namespace netsim::net
