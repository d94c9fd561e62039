// One host's port table: which sockets occupy which local ports, the bind-conflict rules of
// Linux 6.x, the choice of ephemeral ports, the table of connections by 4-tuple and the
// listeners by port (net/ipv4/inet_connection_sock.c, inet_hashtables.c).
//
// Cost: a port's bucket counts its sockets by BindingClass (address, options, owner, listening,
// TIME_WAIT), so a conflict check costs O(distinct classes on that port), not O(sockets): a
// listener with 100,000 accepted connections is one class. Buckets are indexed by port number,
// connections sit in a hash table (never iterated) and listeners in per-port vectors: every operation is flat or logarithmic in the
// number of sockets. Ephemeral choices draw from the run's stream "ephemeral_ports".
#pragma once

#include "sim/core/object_pool.h"
#include "sim/core/open_index.h"
#include "sim/core/rng.h"
#include "sim/core/small_vector.h"
#include "sim/kernel/connection_table.h"
#include "sim/kernel/socket.h"
#include "sim/kernel/sysctls.h"

#include <functional>
#include <optional>
#include <span>
#include <vector>

namespace netsim::kernel {

// Which of Linux's two conflict checks applies (inet_bind_conflict's `relax`/`reuseport_ok`):
// an explicit bind() or listen() may share a port under SO_REUSEADDR/SO_REUSEPORT; an automatic
// choice (bind to port 0, listen or connect on an unbound socket) never shares a bound port.
enum class BindCheck { explicit_port, automatic_port };

// True when binding `candidate` meets `existing` on the same port, as Linux 6.x decides it
// (inet_rcv_saddr_equal for a wildcard candidate, the bhash2 checks for a specific one):
// - equal addresses (an IPv4-mapped IPv6 address counts as its IPv4 address);
// - an IPv4 wildcard candidate meets every socket that is not IPV6_V6ONLY (IPv6 ones too: an
//   IPv6 socket whose connect() chose [::1]:P blocks 0.0.0.0:P; one bound to [::1]:P does not,
//   because binding a specific IPv6 address sets IPV6_V6ONLY);
// - a :: candidate meets every IPv6 socket, and IPv4 ones unless the candidate is IPV6_V6ONLY;
// - a specific IPv4 candidate meets IPv4 wildcards and a :: without IPV6_V6ONLY;
// - a specific IPv6 candidate meets only ::.
// The relation is not symmetric: 0.0.0.0 after a connect from [::1]:P conflicts on P, while
// [::1] after 0.0.0.0 does not.
bool candidate_meets(const BindingClass& candidate, const BindingClass& existing);

class PortTable {
public:
    PortTable(const Sysctls& sysctls, Rng ephemeral_ports);
    PortTable(const PortTable&) = delete;
    PortTable& operator=(const PortTable&) = delete;
    ~PortTable();

    // Would binding `candidate` to `port` conflict with the sockets already there (besides `self`)?
    bool conflicts(const BindingClass& candidate, net::Port port, BindCheck check,
                   const Socket* self = nullptr) const;
    // A free port for bind(0) or an autobind on listen(): Linux's inet_csk_find_open_port (odd
    // offsets from the range's start first; with SO_REUSEADDR the lower half of the range first).
    std::optional<net::Port> pick_port_for_bind(const BindingClass& candidate);
    // A local port for connect() on an unbound socket: Linux's __inet_hash_connect (ports of the
    // range start's parity first; never a port some bind() holds; a connect-held port only if the
    // new 4-tuple is unique there). `reusable_time_wait(id)` says whether a TIME_WAIT socket with
    // the same 4-tuple may be taken over (tcp_tw_reuse); such a socket is reported in `reuse`.
    std::optional<net::Port> pick_port_for_connect(const net::IpAddress& local_ip, const net::SocketAddress& remote,
                                                   const std::function<bool(SocketId)>& reusable_time_wait,
                                                   std::optional<SocketId>& reuse);

    // Registers a bound socket under its current class, or moves it to its new class after a
    // change of state or options; `release` forgets it (the port is free once nothing is left).
    void occupy(Socket& socket);
    void release(Socket& socket);
    bool port_in_use(net::Port port) const { return bucket(port) != nullptr; }
    std::size_t sockets_on_port(net::Port port) const;

    // Connections by 4-tuple (local and remote addresses unmapped).
    void add_connection(const FourTuple& tuple, SocketId id);
    void remove_connection(const FourTuple& tuple);
    std::optional<SocketId> find_connection(const FourTuple& tuple) const;

    // Listening sockets by port, in order of listen().
    void add_listener(const Socket& listener);
    void remove_listener(const Socket& listener);
    std::span<const SocketId> listeners(net::Port port) const;

private:
    struct ClassCount {
        BindingClass cls;
        int sockets = 0;
    };
    struct Bucket {
        // Distinct classes on the port with their socket counts, in no particular order (only
        // ever searched, never listed).
        SmallVector<ClassCount, 2> classes;
        std::size_t sockets = 0;
        // Sockets whose port came from bind() or listen() (TIME_WAITs of such sockets included).
        // While there are none, connect() may pick this port (Linux's tb->fastreuse < 0; since
        // Linux 6.18 a bucket turns connect-only again when its last bound socket leaves).
        std::size_t bound_by_user = 0;
        SmallVector<SocketId, 2> listeners;
        net::Port port = 0;  // the port it counts, while in use
    };

    const Bucket* bucket(net::Port port) const {
        const std::optional<std::uint32_t> i = index_.find(port);
        return i ? buckets_[*i] : nullptr;
    }
    // The index in buckets_ of a port's bucket, taken from the spare ones (or made) on first use.
    std::uint32_t bucket_index_for(net::Port port);
    // The bucket a registered socket is counted in, through the index it remembers (no lookup).
    Bucket& bucket_of_registered(const Socket& socket);
    // One fewer socket of class `cls` in `b`.
    static void uncount(Bucket& b, const BindingClass& cls);
    bool usable_for_connect(net::Port port, const net::IpAddress& local_ip, const net::SocketAddress& remote,
                            const std::function<bool(SocketId)>& reusable_time_wait,
                            std::optional<SocketId>& reuse) const;
    bool reserved(net::Port port) const { return sysctls_.ip_local_reserved_ports.contains(port); }

    const Sysctls& sysctls_;
    Rng rng_;
    // The buckets of the ports in use, found through `index_` (a host that uses a few dozen
    // ports costs a few kilobytes, and a world is built and dropped per fuzzed run). An emptied
    // bucket keeps its vectors' capacity on `spare_buckets_`, so a port taken again allocates
    // nothing.
    struct PortHash {
        static std::uint64_t of(net::Port port) { return port; }
    };
    OpenIndex<net::Port, PortHash> index_;
    ObjectPool<Bucket> bucket_storage_;
    std::vector<Bucket*> buckets_;  // by the index in index_, in bucket_storage_
    std::vector<std::uint32_t> spare_buckets_;
    ConnectionTable connections_;
};

}  // namespace netsim::kernel
