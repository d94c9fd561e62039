// The kernel's record of one TCP socket (Linux's struct sock plus what the model needs): its
// options, TCP state, binding, peer, listener queues, receive-side byte count and pending error.
// Only the Kernel mutates sockets; the port table reads the binding fields. A socket lives from
// socket() (or from a SYN reaching a listener) until it is CLOSED and has no file descriptor.
#pragma once

#include "sim/core/event_queue.h"
#include "sim/core/fifo.h"
#include "sim/kernel/errno.h"
#include "sim/kernel/tcp_state.h"
#include "sim/net/ip_address.h"
#include "sim/net/route_hint.h"

#include <cstdint>
#include <optional>

namespace netsim::kernel {

struct SocketId {
    std::uint32_t value = 0;
    auto operator<=>(const SocketId&) const = default;
};

// A simulated process (owner of file descriptors; its exit closes them all).
struct ProcessId {
    std::uint32_t value = 0;
    auto operator<=>(const ProcessId&) const = default;
};

// The BSD socket layer's view of a connection (struct socket's `state`: SS_UNCONNECTED, ...),
// kept beside the TCP state because connect(), listen() and shutdown() check it first
// (net/ipv4/af_inet.c). A non-blocking connect() leaves the socket `connecting` until the next
// connect() call looks at how the handshake ended; a blocking connect() makes that call itself.
enum class SocketLayerState { unconnected, connecting, connected, disconnecting };

struct SocketOptions {
    bool reuseaddr = false;             // SO_REUSEADDR
    bool reuseport = false;             // SO_REUSEPORT
    bool v6only = false;                // IPV6_V6ONLY (also set by binding a specific IPv6 address)
    std::optional<int> linger_seconds;  // SO_LINGER: none = off; 0 = close sends RST
};

// How a socket occupies its port, as far as bind conflicts care (see PortTable).
struct BindingClass {
    net::IpAddress address;  // unmapped: a v6 socket bound to ::ffff:a.b.c.d counts as IPv4
    bool v6only = false;
    bool reuseaddr = false;
    bool reuseport = false;
    std::uint32_t uid = 0;
    bool listening = false;
    bool time_wait = false;
    auto operator<=>(const BindingClass&) const = default;
};

struct Socket {
    SocketId id;
    net::IpFamily family = net::IpFamily::v4;
    ProcessId process;
    std::uint32_t uid = 0;
    SocketOptions options;
    TcpState state = TcpState::closed;
    Instant state_since;  // when it entered `state`
    Instant bound_since;  // when it took its current port

    // Binding: a local port once bind(), listen() or connect() gave it one.
    bool bound = false;
    bool bound_by_user = false;  // port from bind() or listen() (inet_csk_get_port), not connect()
    bool port_locked = false;    // SOCK_BINDPORT_LOCK: bind() to a non-zero port; else CLOSE frees it
    net::IpAddress local_ip;     // as bound (may be a wildcard; unmapped once connected)
    // The address given to bind(). A specific one is kept even when the port is given back
    // (Linux's SOCK_BINDADDR_LOCK), and a later connect() still sends from it.
    net::IpAddress bind_address;
    net::Port local_port = 0;
    std::optional<BindingClass> registered;  // the class the port table counts it under
    std::uint32_t port_bucket = 0;           // while registered: the port table's index of its port's bucket
    // Linux's inet_sport: set whenever a port is assigned, never cleared when the port is given
    // back, so getsockname() still reports it after a failed or finished connection.
    net::Port reported_port = 0;

    // Connection.
    std::optional<net::SocketAddress> remote;   // unmapped
    // Linux's inet_daddr: the destination of the last connect() (unmapped), kept when the connect
    // fails or the socket is disconnected (tcp_disconnect and connect's failure path clear only
    // the port), so /proc/net/tcp shows it, with port 0, on a socket that listens afterwards.
    std::optional<net::IpAddress> daddr_left;
    bool in_connection_table = false;
    net::RouteHint route;  // the network's path to `remote`, remembered between sends
    std::uint32_t peer_hint = 0;  // the peer socket's Segment::sender_socket, last seen
    // An IPv6 socket that connected to an IPv4-mapped address runs Linux's ipv6_mapped
    // operations from then on (tcp_v6_connect switches icsk_af_ops and nothing switches back
    // after an asynchronous failure): its later IPv6 handshakes never complete. Measured on
    // one real Linux 6.18 machine; another of the same version refuses instead (both recorded:
    // tests/conformance/scripts/v6_socket_connecting_natively_after_refused_mapped_connect_*).
    bool mapped_ops = false;
    bool connect_in_progress = false;  // a user connect() waits for the handshake
    SocketLayerState layer = SocketLayerState::unconnected;
    bool was_established = false;      // the connection reached ESTABLISHED (connect or accept)
    // A connect() on it failed. Measured on Linux 6.18 (tests/conformance/scripts/
    // listen_after_failed_connect_is_einval.txt): listen() then fails with EINVAL once its port
    // step (autobind or conflict check) has succeeded, and the port stays taken.
    bool connect_failed = false;
    // shutdown(SHUT_RD) disconnected it from LISTEN. Measured on the same kernel
    // (shutdown_of_a_listener_clears_earlier_shutdown_flags.txt): connect() then fails with EINVAL,
    // while listen() works again.
    bool listener_disconnected = false;
    bool has_fd = true;                // false: orphaned (closed by the user, kernel finishing)
    int fd = -1;                       // the descriptor naming it, while has_fd
    Errno pending_error = Errno::ok;   // sk_err, reported once by the next call
    std::uint64_t received_unread = 0; // bytes in the receive queue
    // The receive queue as the sends that filled it: (bytes not yet read, message word), oldest
    // first; the bytes add up to received_unread.
    Fifo<std::pair<std::uint64_t, std::uint64_t>> receive_queue;
    bool fin_received = false;
    bool received_data = false;  // any payload arrived (Linux's icsk_ack.ato is set from then on)
    bool ack_owed = false;       // the peer's FIN waits for its delayed ACK (CLOSE_WAIT)
    bool rcv_shutdown = false;
    bool snd_shutdown = false;

    // Listener side.
    int backlog = 0;
    Fifo<SocketId> accept_queue;  // completed connections, oldest first
    std::optional<SocketId> listener;   // for a child not yet accepted
    bool in_accept_queue = false;

    // Timers (SYN / SYN-ACK retransmission, TIME_WAIT, FIN_WAIT2 orphan).
    EventId timer;
    int retransmissions = 0;
    Instant time_wait_since;
};

}  // namespace netsim::kernel

template <>
struct fmt::formatter<netsim::kernel::SocketId> : fmt::formatter<std::uint32_t> {
    auto format(netsim::kernel::SocketId id, format_context& ctx) const {
        return fmt::formatter<std::uint32_t>::format(id.value, ctx);
    }
};
