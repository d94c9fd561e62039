// The simulated network: the hosts, the paths between them, and the delivery of segments.
//
// Guarantees:
// - Segments on one directed path (host A to host B, or a host to itself over loopback) are
//   delivered in the order sent, whatever the latency, jitter or tie-shuffling, so every TCP
//   connection sees its segments in order.
// - Loopback delivers with zero delay (in a later event at the same instant, never re-entrantly).
// - Randomness comes from the run's streams "network_jitter" and "network_loss".
// - Faults per path: loss (a lost SYN or SYN-ACK is dropped and left to the TCP model's
//   retransmission timers; a lost segment of an established connection stands for TCP's own
//   retransmission and arrives one RTO later, 200 ms doubling per repeated loss), partition (SYNs
//   dropped, other segments wait and are delivered on heal), and hold (everything waits and is
//   delivered, in order, on release).
// Every segment sent, dropped or held is a trace record of source "net".
#pragma once

#include "sim/core/fifo.h"
#include "sim/core/open_index.h"
#include "sim/core/rng.h"
#include "sim/core/simulation.h"
#include "sim/net/host.h"
#include "sim/net/link.h"
#include "sim/net/route_hint.h"

#include <deque>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace netsim::net {

class Network {
public:
    explicit Network(Simulation& sim);
    Network(const Network&) = delete;
    Network& operator=(const Network&) = delete;

    Simulation& simulation() { return sim_; }

    // Adds a host owning `addresses` (plus loopback). Names must be unique.
    HostId add_host(std::string name, std::vector<IpAddress> addresses = {});
    void attach_receiver(HostId host, SegmentReceiver* receiver);
    const Host& host(HostId id) const;
    // The host that owns `address` as one of its (non-loopback) addresses.
    std::optional<HostId> host_with_address(const IpAddress& address) const;

    // Sets the path properties in both directions between two distinct hosts.
    void set_link(HostId a, HostId b, const LinkConfig& config);
    // Used for every pair of distinct hosts without a set_link of their own.
    void set_default_link(const LinkConfig& config) { default_link_ = config; }

    void partition(HostId a, HostId b);
    void heal(HostId a, HostId b);
    void hold(HostId a, HostId b);
    void release(HostId a, HostId b);

    // Routes a segment sent by `from`: loopback and own addresses to itself, others to the
    // owning host; a segment to an address no host owns is dropped.
    // `hint`, when given, remembers the route between sends (see RouteHint).
    void send(HostId from, const Segment& segment, RouteHint* hint = nullptr);

private:
    struct InFlight {
        Instant deliver_at;
        Segment segment;
    };
    struct Path {
        std::uint32_t index = 0;  // in paths_
        HostId from;
        HostId to;
        std::optional<LinkConfig> config;  // none: the default link (or loopback when from == to)
        bool partitioned = false;
        bool held = false;
        Fifo<InFlight> in_flight;   // scheduled, in delivery order
        Fifo<Segment> waiting;      // held, or blocked by a partition
        Instant last_delivery;
    };

    Path& path(HostId from, HostId to);
    void set_fault(HostId a, HostId b, bool Path::*fault, bool on, TraceKind kind);
    void schedule_delivery(Path& p, const Segment& segment, Duration extra_delay);
    void deliver_head(Path& p);
    void flush_waiting(Path& p);
    // A segment record; nothing to build, not even a call, when nobody hashes or watches the trace
    // (a fuzzed run: a few segments per connection).
    void record(TraceKind kind, const Path& p, const Segment& segment) {
        if (sim_.trace().hashing() || sim_.trace().observed()) record_segment(kind, p, segment);
    }
    void record_segment(TraceKind kind, const Path& p, const Segment& segment);
    Duration delay_for(const Path& p);

    Simulation& sim_;
    std::vector<Host> hosts_;
    struct AddressHash {
        static std::uint64_t of(const IpAddress& address);
    };
    struct PathHash {
        static std::uint64_t of(std::uint64_t from_to) { return from_to; }
    };
    // A sending host and a destination address, for the route cache.
    struct RouteKey {
        std::uint32_t from = 0;
        IpAddress destination;
        bool operator==(const RouteKey&) const = default;
    };
    struct RouteHash {
        static std::uint64_t of(const RouteKey& key) { return AddressHash::of(key.destination) ^ std::uint64_t{key.from} << 40; }
    };
    // The path a segment from `from` to `destination` takes, or null when no host owns the
    // address; routes found are cached (hosts and their addresses never go away).
    Path* route(HostId from, const IpAddress& destination);
    OpenIndex<IpAddress, AddressHash> address_owner_;  // to HostId
    // Paths by (from << 32 | to), created on first use; a deque, so a Path never moves
    // (delivery events hold it).
    OpenIndex<std::uint64_t, PathHash> path_index_;
    std::deque<Path> paths_;
    OpenIndex<RouteKey, RouteHash> routes_;  // to an index in paths_
    TraceSource source_{"net"};
    LinkConfig default_link_;
    Rng jitter_rng_;
    Rng loss_rng_;
};

}  // namespace netsim::net
