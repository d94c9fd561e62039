// One host's operating-system model: a BSD-like TCP socket API over a Linux 6.x port table and
// TCP state machine (RFC 9293 states, Linux's choices where the RFC leaves room).
//
// The API mirrors the system calls and returns errors as values named after Linux's errno. Where
// a real socket would block, the call returns at once and completion is an event: connect()
// returns EINPROGRESS, and the socket's watcher is told `connected` or `connect_failed` (the
// error then comes from socket_error(), as SO_ERROR). Watchers are called from events of their
// own, never from inside a kernel call. Every socket state change and every system call is a
// trace record of source "<host>/kernel".
#pragma once

#include "sim/core/inplace_function.h"
#include "sim/core/simulation.h"
#include "sim/kernel/errno.h"
#include "sim/kernel/port_table.h"
#include "sim/kernel/socket.h"
#include "sim/kernel/sysctls.h"
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
std::string_view event_name(SocketEvent e);

using SocketWatcher = InplaceFunction<void(Fd, SocketEvent), 40>;

// What oracles, trace writers and tests may read about a socket.
struct SocketView {
    SocketId id;
    std::optional<Fd> fd;
    ProcessId process;
    net::IpFamily family;
    TcpState state;
    std::optional<net::SocketAddress> local;
    std::optional<net::SocketAddress> remote;
};

class Kernel final : public net::SegmentReceiver {
public:
    Kernel(Simulation& sim, net::Network& network, net::HostId host, Sysctls sysctls = {});
    Kernel(const Kernel&) = delete;
    Kernel& operator=(const Kernel&) = delete;

    Sysctls& sysctls() { return sysctls_; }
    net::HostId host_id() const { return host_; }

    // ---- the socket API ---------------------------------------------------------------
    Result<Fd> socket(net::IpFamily family, ProcessId process = {});
    // For `linger`, value < 0 turns SO_LINGER off; value >= 0 is the linger time in seconds.
    Errno setsockopt(Fd fd, SocketOption option, int value);
    Errno bind(Fd fd, const net::SocketAddress& address);
    Errno listen(Fd fd, int backlog);
    Errno connect(Fd fd, const net::SocketAddress& address);
    Result<Fd> accept(Fd listener);
    Result<std::size_t> send(Fd fd, std::size_t bytes);
    // 0 bytes means end of stream.
    Result<std::size_t> recv(Fd fd, std::size_t max_bytes);
    Errno shutdown(Fd fd, ShutdownMode how);
    Errno close(Fd fd);
    Result<net::SocketAddress> getsockname(Fd fd) const;
    Result<net::SocketAddress> getpeername(Fd fd) const;
    // SO_ERROR: the pending error, cleared by reading it (Errno::ok if none).
    Errno socket_error(Fd fd);
    // True while a connect() on this socket waits for the handshake.
    bool connect_in_progress(Fd fd) const;
    void set_watcher(Fd fd, SocketWatcher watcher);

    // The process exits or crashes: every descriptor it holds is closed, as Linux does on exit.
    void kill_process(ProcessId process);

    // ---- inspection -------------------------------------------------------------------
    std::vector<SocketView> sockets() const;
    std::size_t socket_count() const { return live_sockets_; }
    const PortTable& port_table() const { return ports_; }

    // The network hands this host's segments here.
    void receive_segment(const net::Segment& segment) override;

private:
    struct FdEntry {
        SocketId socket;
        ProcessId process;
        SocketWatcher watcher;
    };

    // socket bookkeeping (kernel.cc)
    Socket* find(SocketId id) const;
    Socket* socket_of(Fd fd) const;
    Socket& create_socket(net::IpFamily family, ProcessId process);
    Fd install_fd(Socket& s, ProcessId process);
    void notify(const Socket& s, SocketEvent event);
    void trace_call(const char* call, Fd fd, Errno result, std::vector<TraceField> extra = {});
    BindingClass binding_class_for(const Socket& s, const net::IpAddress& address) const;
    // The error bind() and connect() give for an address of the other family, or Errno::ok.
    static Errno sockaddr_family_error(const Socket& s, const net::IpAddress& address);
    // Gives a socket its port from bind() or listen(); `locked`: SOCK_BINDPORT_LOCK (explicit port).
    void take_port(Socket& s, const net::IpAddress& address, net::Port port, bool locked);

    // connect() in steps: argument and state checks, the destination Linux really uses, and the
    // port choice and first SYN.
    Errno connect_precheck(const Socket& s, const net::SocketAddress& target) const;
    net::SocketAddress connect_destination(const Socket& s, net::SocketAddress target) const;
    Errno start_connect(Socket& s, const net::SocketAddress& target);

    // lifecycle (tcp_lifecycle.cc)
    void set_state(Socket& s, TcpState next, const char* why);
    void enter_connection_table(Socket& s);
    void leave_connection_table(Socket& s);
    void to_closed(Socket& s, const char* why);
    void enter_time_wait(Socket& s);
    void free_if_done(Socket& s);
    void send_flags(const Socket& s, std::uint8_t flags, std::uint32_t bytes = 0);
    void send_reset_for(const net::Segment& in);
    void abort_with_reset(Socket& s, const char* why);
    void arm_timer(Socket& s, Duration after);
    void cancel_timer(Socket& s);
    void on_timer(SocketId id);
    void close_listener(Socket& s);
    void start_active_close(Socket& s);
    void finish_connect(Socket& s, Errno result);

    // segment input (tcp_input.cc)
    Socket* find_listener(const net::SocketAddress& local);
    void on_syn_to_listener(Socket& listener, const net::Segment& seg);
    void on_segment(Socket& s, const net::Segment& seg);
    void on_reset(Socket& s);
    void on_data(Socket& s, const net::Segment& seg);
    void on_fin(Socket& s);
    void complete_child(Socket& child);

    Simulation& sim_;
    net::Network& network_;
    net::HostId host_;
    Sysctls sysctls_;
    PortTable ports_;
    Rng reuseport_rng_;
    std::string trace_source_;
    std::vector<std::unique_ptr<Socket>> sockets_;  // by SocketId; null once freed
    std::size_t live_sockets_ = 0;
    std::map<Fd, FdEntry> fds_;
    int next_fd_ = 3;
};

}  // namespace netsim::kernel

template <>
struct fmt::formatter<netsim::kernel::Fd> : fmt::formatter<int> {
    auto format(netsim::kernel::Fd fd, format_context& ctx) const { return fmt::formatter<int>::format(fd.value, ctx); }
};
