#include "sim/kernel/port_table.h"

#include "sim/core/check.h"

#include <algorithm>

namespace netsim::kernel {

bool candidate_meets(const BindingClass& candidate, const BindingClass& existing) {
    const net::IpAddress& c = candidate.address;  // unmapped
    const net::IpAddress& e = existing.address;
    if (c == e) return true;
    if (c.is_unspecified()) {
        if (c.is_v4()) return !existing.v6only;
        return e.is_v6() || !candidate.v6only;
    }
    if (c.is_v4()) return e.is_unspecified() && (e.is_v4() || !existing.v6only);
    return e.is_v6() && e.is_unspecified();
}

namespace {

// Linux's inet_bind_conflict() for two overlapping sockets.
bool bind_rules_forbid(const BindingClass& candidate, const BindingClass& existing, BindCheck check) {
    const bool automatic = check == BindCheck::automatic_port;
    if (candidate.reuseaddr && existing.reuseaddr && !existing.listening) {
        // SO_REUSEADDR on both, and the old socket not listening: an explicit bind may share.
        return automatic;
    }
    if (automatic) return true;
    // SO_REUSEPORT on both, and the same owner (or the old socket in TIME_WAIT): may share.
    if (!(candidate.reuseport && existing.reuseport)) return true;
    return !(existing.time_wait || candidate.uid == existing.uid);
}

}  // namespace

PortTable::PortTable(const Sysctls& sysctls, Rng ephemeral_ports)
    : sysctls_(sysctls), rng_(ephemeral_ports) {}

std::uint32_t PortTable::bucket_index_for(net::Port port) {
    if (const std::optional<std::uint32_t> found = index_.find(port)) return *found;
    std::uint32_t i;
    if (spare_buckets_.empty()) {
        i = static_cast<std::uint32_t>(buckets_.size());
        buckets_.push_back(&bucket_storage_.create());
    } else {
        i = spare_buckets_.back();
        spare_buckets_.pop_back();
    }
    const bool indexed = index_.insert(port, i);
    NETSIM_CHECK(indexed);
    buckets_[i]->port = port;
    return i;
}

PortTable::Bucket& PortTable::bucket_of_registered(const Socket& socket) {
    NETSIM_CHECK(socket.registered.has_value() && socket.port_bucket < buckets_.size());
    Bucket& b = *buckets_[socket.port_bucket];
    // A bucket is released only when its last socket leaves, so a registered socket's index
    // still names its port's bucket.
    NETSIM_CHECK_OP(b.port, ==, socket.local_port);
    return b;
}

PortTable::~PortTable() {
    for (Bucket* b : buckets_) bucket_storage_.destroy(*b);
}

bool PortTable::conflicts(const BindingClass& candidate, net::Port port, BindCheck check, const Socket* self) const {
    const Bucket* b = bucket(port);
    if (b == nullptr) return false;
    for (const auto& [cls, count] : b->classes) {
        int others = count;
        if (self != nullptr && self->registered && *self->registered == cls && self->local_port == port) --others;
        if (others <= 0) continue;
        if (candidate_meets(candidate, cls) && bind_rules_forbid(candidate, cls, check)) return true;
    }
    return false;
}

std::optional<net::Port> PortTable::pick_port_for_bind(const BindingClass& candidate) {
    int attempt_half = candidate.reuseaddr ? 1 : 0;
    for (;;) {
        int low = sysctls_.ip_local_port_range_low;
        int high = sysctls_.ip_local_port_range_high + 1;
        if (high - low < 4) attempt_half = 0;
        if (attempt_half != 0) {
            const int half = low + (((high - low) >> 2) << 1);
            if (attempt_half == 1) high = half;
            else low = half;
        }
        int remaining = high - low;
        if (remaining > 1) remaining &= ~1;
        // Linux: a random offset made odd, so bind(0) starts on the parity connect() avoids.
        int offset = static_cast<int>(rng_.below(static_cast<std::uint64_t>(remaining))) | 1;
        do {
            int port = low + offset;
            for (int i = 0; i < remaining; i += 2, port += 2) {
                if (port >= high) port -= remaining;
                const auto p = static_cast<net::Port>(port);
                if (reserved(p)) continue;
                if (!conflicts(candidate, p, BindCheck::automatic_port)) return p;
            }
            --offset;
        } while (!(offset & 1));
        if (attempt_half != 1) return std::nullopt;
        attempt_half = 2;
    }
}

bool PortTable::usable_for_connect(net::Port port, const net::IpAddress& local_ip, const net::SocketAddress& remote,
                                   const std::function<bool(SocketId)>& reusable_time_wait,
                                   std::optional<SocketId>& reuse) const {
    reuse.reset();
    const Bucket* b = bucket(port);
    if (b == nullptr) return true;
    if (b->bound_by_user > 0) return false;
    auto existing = find_connection(FourTuple{local_ip, port, remote.ip, remote.port});
    if (!existing) return true;
    if (reusable_time_wait(*existing)) {
        reuse = existing;
        return true;
    }
    return false;
}

std::optional<net::Port> PortTable::pick_port_for_connect(const net::IpAddress& local_ip,
                                                          const net::SocketAddress& remote,
                                                          const std::function<bool(SocketId)>& reusable_time_wait,
                                                          std::optional<SocketId>& reuse) {
    const int low = sysctls_.ip_local_port_range_low;
    const int high = sysctls_.ip_local_port_range_high + 1;
    int remaining = high - low;
    if (remaining > 1) remaining &= ~1;
    // Linux starts from a hash of the destination plus a perturbation; the model draws it.
    int offset = static_cast<int>(rng_.below(static_cast<std::uint64_t>(remaining))) & ~1;
    for (;;) {
        int port = low + offset;
        for (int i = 0; i < remaining; i += 2, port += 2) {
            if (port >= high) port -= remaining;
            const auto p = static_cast<net::Port>(port);
            if (reserved(p)) continue;
            if (usable_for_connect(p, local_ip, remote, reusable_time_wait, reuse)) return p;
        }
        ++offset;
        if (!((offset & 1) && remaining > 1)) return std::nullopt;
    }
}

void PortTable::occupy(Socket& socket) {
    NETSIM_CHECK(socket.bound);
    BindingClass cls{socket.local_ip.unmapped(),
                     socket.options.v6only,
                     socket.options.reuseaddr,
                     socket.options.reuseport,
                     socket.uid,
                     socket.state == TcpState::listen,
                     socket.state == TcpState::time_wait};
    if (socket.registered && *socket.registered == cls) return;
    Bucket* b = nullptr;
    if (socket.registered) {
        b = &bucket_of_registered(socket);
        uncount(*b, *socket.registered);
    } else {
        socket.port_bucket = bucket_index_for(socket.local_port);
        b = buckets_[socket.port_bucket];
        ++b->sockets;
        if (socket.bound_by_user) ++b->bound_by_user;
    }
    auto it = std::find_if(b->classes.begin(), b->classes.end(), [&](const ClassCount& c) { return c.cls == cls; });
    if (it == b->classes.end()) b->classes.push_back(ClassCount{cls, 1});
    else ++it->sockets;
    socket.registered = cls;
    socket.reported_port = socket.local_port;
}

void PortTable::release(Socket& socket) {
    if (!socket.registered) return;
    Bucket& b = bucket_of_registered(socket);
    uncount(b, *socket.registered);
    --b.sockets;
    if (socket.bound_by_user) --b.bound_by_user;
    socket.registered.reset();
    if (b.sockets == 0) {
        NETSIM_CHECK(b.listeners.empty() && b.classes.empty());
        b.bound_by_user = 0;
        const bool erased = index_.erase(socket.local_port);
        NETSIM_CHECK(erased);
        spare_buckets_.push_back(socket.port_bucket);
    }
}

void PortTable::uncount(Bucket& b, const BindingClass& cls) {
    auto it = std::find_if(b.classes.begin(), b.classes.end(), [&](const ClassCount& c) { return c.cls == cls; });
    NETSIM_CHECK(it != b.classes.end() && it->sockets > 0);
    if (--it->sockets > 0) return;
    *it = b.classes.back();
    b.classes.pop_back();
}

std::size_t PortTable::sockets_on_port(net::Port port) const {
    const Bucket* b = bucket(port);
    return b == nullptr ? 0 : b->sockets;
}

void PortTable::add_connection(const FourTuple& tuple, SocketId id) {
    const std::optional<SocketId> existing = connections_.find(tuple);
    NETSIM_CHECK_MSG(!existing, "4-tuple already in use by socket {}", *existing);
    connections_.add(tuple, id);
}

void PortTable::remove_connection(const FourTuple& tuple) {
    const bool removed = connections_.remove(tuple);
    NETSIM_CHECK(removed);
}

std::optional<SocketId> PortTable::find_connection(const FourTuple& tuple) const {
    return connections_.find(tuple);
}

void PortTable::add_listener(const Socket& listener) { bucket_of_registered(listener).listeners.push_back(listener.id); }

void PortTable::remove_listener(const Socket& listener) { erase(bucket_of_registered(listener).listeners, listener.id); }

std::span<const SocketId> PortTable::listeners(net::Port port) const {
    const Bucket* b = bucket(port);
    if (b == nullptr) return {};
    return {b->listeners.begin(), b->listeners.size()};
}

}  // namespace netsim::kernel
