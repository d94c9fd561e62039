// One host's operating-system model: a BSD-like TCP socket API over a Linux 6.x port table and
// TCP state machine (RFC 9293 states, Linux's choices where the RFC leaves room).
//
// The API mirrors the system calls and returns errors as values named after Linux's errno. Where
// a real socket would block, the call returns at once and completion is an event: connect()
// returns EINPROGRESS, and the socket's watchers are told `connected` or `connect_failed` with
// the error in the notice (socket_error() still reports it once, as SO_ERROR). As in Linux, a
// failed socket stays done (reads see end of stream, sends EPIPE) until connect() is called
// again, which reports the outcome once more and disconnects it; a blocking connect is
// connect() then, once the handshake has ended, connect() again (see script/model_runner.cc). A descriptor may
// have several watchers (the process and an oracle beside it); they are called from events of
// their own, never from inside a kernel call, and each delivery is a `socket.event` record.
// Watching is level-triggered at registration: a watch added while data, a FIN, a reset or a
// pending connection already waits hears of it at once, so nothing that arrived before accept()
// is lost. Every socket state change and every system call is a trace record of source
// "<host>/kernel".
//
// Lifetime: a Kernel attaches itself to its host in the network and detaches when destroyed.
// Its pending timers capture it, so the simulation must not run after the kernel is gone (the
// world destroys processes, then kernels, then the network, then the simulation).
#pragma once

#include "sim/core/inplace_function.h"
#include "sim/core/object_pool.h"
#include "sim/core/simulation.h"
#include "sim/core/small_vector.h"
#include "sim/kernel/descriptor_table.h"
#include "sim/kernel/errno.h"
#include "sim/kernel/port_table.h"
#include "sim/kernel/socket.h"
#include "sim/kernel/sysctls.h"
#include "sim/kernel/tcp_reason.h"
#include "sim/net/network.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace netsim::kernel {

// A file descriptor of the simulated host (numbers are per host, never reused in a run).
struct Fd {
    int value = -1;
    auto operator<=>(const Fd&) const = default;
};

enum class SocketOption { reuseaddr, reuseport, v6only, linger };
enum class ShutdownMode { read, write, both };

enum class SocketEvent {
    connected,       // a connect() completed
    connect_failed,  // a connect() failed: socket_error() says why
    readable,        // data arrived
    acceptable,      // a completed connection waits in a listener's accept queue
    peer_closed,     // the peer's FIN arrived: reads will see EOF
    reset,           // the connection was reset or timed out: socket_error() says why
};
// Inline, as errno_name.
constexpr std::string_view event_name(SocketEvent e) {
    switch (e) {
        case SocketEvent::connected: return "connected";
        case SocketEvent::connect_failed: return "connect_failed";
        case SocketEvent::readable: return "readable";
        case SocketEvent::acceptable: return "acceptable";
        case SocketEvent::peer_closed: return "peer_closed";
        case SocketEvent::reset: return "reset";
    }
    return "?";
}
inline TraceLabel event_label(SocketEvent e) { return TraceLabel{static_cast<std::uint32_t>(e), event_name(e)}; }

// One event on one descriptor. `error` says why for connect_failed and reset (else ok).
struct SocketNotice {
    Fd fd;
    SocketEvent event;
    Errno error = Errno::ok;
};

using SocketWatcher = InplaceFunction<void(const SocketNotice&), 40>;

// Names one watch on a descriptor, to remove it again.
struct WatchId {
    std::uint32_t value = 0;
    auto operator<=>(const WatchId&) const = default;
};

// One send() as the receiver reads it back whole (recv_message). bytes == 0: end of stream.
struct ReceivedMessage {
    std::size_t bytes = 0;
    std::uint64_t message = 0;
};

// What oracles, trace writers and tests may read about a socket.
struct SocketView {
    SocketId id;
    std::optional<Fd> fd;
    ProcessId process;
    net::IpFamily family;
    TcpState state;
    std::optional<net::SocketAddress> local;
    std::optional<net::SocketAddress> remote;
    Instant state_since;  // when it entered `state`
    Instant bound_since;  // when it took its port (meaningful when `local` is set)
    bool reuseaddr = false;
    bool reuseport = false;
    // The destination of the socket's last connect() (see Socket::daddr_left), also after it failed.
    std::optional<net::IpAddress> last_destination;
};

class Kernel final : public net::SegmentReceiver {
public:
    Kernel(Simulation& sim, net::Network& network, net::HostId host, Sysctls sysctls = {});
    Kernel(const Kernel&) = delete;
    Kernel& operator=(const Kernel&) = delete;
    ~Kernel() override;

    Sysctls& sysctls() { return sysctls_; }
    const Sysctls& sysctls() const { return sysctls_; }
    net::HostId host_id() const { return host_; }

    // ---- the socket API ---------------------------------------------------------------
    Result<Fd> socket(net::IpFamily family, ProcessId process = {});
    // For `linger`, value < 0 turns SO_LINGER off; value >= 0 is the linger time in seconds.
    Errno setsockopt(Fd fd, SocketOption option, int value);
    Errno bind(Fd fd, const net::SocketAddress& address);
    Errno listen(Fd fd, int backlog);
    Errno connect(Fd fd, const net::SocketAddress& address);
    Result<Fd> accept(Fd listener);
    // `message`: an opaque word the receiver gets back with these bytes (recv_message).
    Result<std::size_t> send(Fd fd, std::size_t bytes, std::uint64_t message = 0);
    // 0 bytes means end of stream.
    Result<std::size_t> recv(Fd fd, std::size_t max_bytes);
    // Reads what is left of the oldest send() whole, with its message word; the same errors
    // as recv(). How application protocols read their frames.
    Result<ReceivedMessage> recv_message(Fd fd);
    Errno shutdown(Fd fd, ShutdownMode how);
    Errno close(Fd fd);
    Result<net::SocketAddress> getsockname(Fd fd) const;
    Result<net::SocketAddress> getpeername(Fd fd) const;
    // SO_ERROR: the pending error, cleared by reading it (Errno::ok if none).
    Errno socket_error(Fd fd);
    // True while a connect() on this socket waits for the handshake.
    bool connect_in_progress(Fd fd) const;
    // Adds a watcher to a descriptor (several may watch one); conditions that already hold
    // are delivered to it at once (in an event of their own).
    WatchId watch(Fd fd, SocketWatcher watcher);
    // Removes a watch; a watch of a closed descriptor is already gone (no effect).
    void unwatch(Fd fd, WatchId watch);

    // The process exits or crashes: every descriptor it holds is closed, as Linux does on exit.
    void kill_process(ProcessId process);

    // ---- inspection -------------------------------------------------------------------
    std::vector<SocketView> sockets() const;
    // The socket of `process`'s open descriptor with the lowest socket id, if it has one.
    std::optional<SocketView> first_descriptor_of(ProcessId process) const;
    std::size_t socket_count() const { return live_sockets_; }
    const PortTable& port_table() const { return ports_; }

    // The network hands this host's segments here.
    void receive_segment(const net::Segment& segment) override;

private:
    // The socket whose connection a segment belongs to (see Segment::receiver_hint), or none.
    Socket* connection_for(const net::Segment& segment);
    // The 4-tuple a connected socket is filed under in the connection table.
    static FourTuple connection_key(const Socket& s);
    struct Watch {
        WatchId id;
        SocketWatcher watcher;
    };
    struct FdEntry {
        SocketId socket;
        ProcessId process;
        SmallVector<Watch, 1> watches;  // by increasing id
    };

    // socket bookkeeping (kernel.cc)
    static SocketView view_of(const Socket& s);
    Socket* find(SocketId id) const;
    Socket* socket_of(Fd fd) const;
    Socket& create_socket(net::IpFamily family, ProcessId process);
    Fd install_fd(Socket& s, ProcessId process);
    void notify(const Socket& s, SocketEvent event, Errno error = Errno::ok);
    // Runs the watchers of `fd` (only watch `only`, when given) for one event.
    void deliver(Fd fd, SocketEvent event, Errno error, std::optional<WatchId> only);
    // recv()'s answer when the receive queue is empty (tcp_recvmsg's order); ok means EOF.
    Errno empty_receive_status(Socket& s);
    // A `sys.*` record: the call's kind, descriptor, result and at most one more field, each built
    // in its place.
    void trace_call(TraceKind kind, Fd fd, Errno result) {
        sim_.record<2>(trace_source_, kind, [&](auto& fields) {
            fields.add("fd", std::int64_t{fd.value});
            fields.add("result", errno_label(result));
        });
    }
    template <typename Value>
    void trace_call(TraceKind kind, Fd fd, Errno result, TraceKey key, const Value& value) {
        sim_.record<3>(trace_source_, kind, [&](auto& fields) {
            fields.add("fd", std::int64_t{fd.value});
            fields.add("result", errno_label(result));
            fields.add(key, value);
        });
    }
    BindingClass binding_class_for(const Socket& s, const net::IpAddress& address) const;
    // The error bind() and connect() give for an address of the other family, or Errno::ok.
    static Errno sockaddr_family_error(const Socket& s, const net::IpAddress& address);
    // Gives a socket its port from bind() or listen(); `locked`: SOCK_BINDPORT_LOCK (explicit port).
    void take_port(Socket& s, const net::IpAddress& address, net::Port port, bool locked);

    // connect() in steps: argument and state checks, the destination Linux really uses, and the
    // port choice and first SYN.
    // connect()'s refusals before (address) and after (route) Linux sets the destination address.
    Errno connect_address_check(const Socket& s, const net::SocketAddress& target) const;
    Errno connect_route_check(const Socket& s, const net::SocketAddress& target) const;
    net::SocketAddress connect_destination(const Socket& s, net::SocketAddress target) const;
    Errno start_connect(Socket& s, const net::SocketAddress& target);
    // What connect() answers on a socket whose connect() has started (see kernel.cc).
    Errno connect_outcome(Socket& s, Errno waiting);
    // tcp_disconnect of a socket already in CLOSE.
    void disconnect(Socket& s);

    // lifecycle (tcp_lifecycle.cc)
    void set_state(Socket& s, TcpState next, TcpReason why);
    void enter_connection_table(Socket& s);
    void leave_connection_table(Socket& s);
    void to_closed(Socket& s, TcpReason why);
    void enter_time_wait(Socket& s);
    void free_if_done(Socket& s);
    void give_back_unlocked_port(Socket& s);
    void send_flags(Socket& s, std::uint8_t flags, std::uint32_t bytes = 0, std::uint64_t message = 0);
    void send_reset_for(const net::Segment& in);
    void abort_with_reset(Socket& s, TcpReason why);
    void arm_timer(Socket& s, Duration after);
    void cancel_timer(Socket& s);
    void on_timer(SocketId id);
    void close_listener(Socket& s);
    void start_active_close(Socket& s);
    // The handshake of a user connect() ended: established, or failed with `error` (sk_err; ok
    // when the connection closed without one, which a waiting connect() reports as ECONNABORTED).
    void finish_connect(Socket& s);
    void fail_connect(Socket& s, Errno error);
    // The `tcp.connect_done` record of either.
    void record_connect_done(const Socket& s, Errno result);

    // segment input (tcp_input.cc)
    Socket* find_listener(const net::SocketAddress& local);
    void on_syn_to_listener(Socket& listener, const net::Segment& seg);
    void on_segment(Socket& s, const net::Segment& seg);
    void on_reset(Socket& s);
    void on_data(Socket& s, const net::Segment& seg);
    void queue_received(Socket& s, const net::Segment& seg);
    void on_fin(Socket& s);
    void on_fin_acknowledged(Socket& s);
    void complete_child(Socket& child);

    Simulation& sim_;
    net::Network& network_;
    net::HostId host_;
    Sysctls sysctls_;
    PortTable ports_;
    Rng reuseport_rng_;
    TraceSource trace_source_;
    ObjectPool<Socket> socket_storage_;
    std::vector<Socket*> sockets_;  // by SocketId, in socket_storage_; null once freed
    std::size_t live_sockets_ = 0;
    static constexpr int first_fd = 3;
    DescriptorTable<FdEntry> fds_{first_fd};
    int next_fd_ = first_fd;
    std::uint32_t next_watch_ = 1;
};

}  // namespace netsim::kernel

template <>
struct fmt::formatter<netsim::kernel::Fd> : fmt::formatter<int> {
    auto format(netsim::kernel::Fd fd, format_context& ctx) const { return fmt::formatter<int>::format(fd.value, ctx); }
};
