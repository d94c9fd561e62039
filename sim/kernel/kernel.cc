// The socket API of the kernel model: argument and state checks in the order Linux makes them
// (net/ipv4/af_inet.c, net/ipv6/af_inet6.c, net/ipv4/tcp.c), then the port table and the TCP
// state machine (tcp_lifecycle.cc, tcp_input.cc).
#include "sim/kernel/kernel.h"

#include "sim/core/check.h"

#include <algorithm>
#include <array>

namespace netsim::kernel {

Kernel::Kernel(Simulation& sim, net::Network& network, net::HostId host, Sysctls sysctls)
    : sim_(sim),
      network_(network),
      host_(host),
      sysctls_(std::move(sysctls)),
      ports_(sysctls_, sim.rng_stream("ephemeral_ports/" + network.host(host).name)),
      reuseport_rng_(sim.rng_stream("reuseport/" + network.host(host).name)),
      trace_source_(network.host(host).name + "/kernel") {
    network_.attach_receiver(host_, this);
}

Kernel::~Kernel() {
    network_.attach_receiver(host_, nullptr);
    for (Socket* s : sockets_)
        if (s != nullptr) socket_storage_.destroy(*s);
}

// ---- bookkeeping ------------------------------------------------------------------------

Socket* Kernel::find(SocketId id) const {
    if (id.value >= sockets_.size()) return nullptr;
    return sockets_[id.value];
}

Socket* Kernel::socket_of(Fd fd) const {
    const FdEntry* e = fds_.find(fd.value);
    return e == nullptr ? nullptr : find(e->socket);
}

Socket& Kernel::create_socket(net::IpFamily family, ProcessId process) {
    Socket& s = socket_storage_.create();
    s.id = SocketId{static_cast<std::uint32_t>(sockets_.size())};
    s.family = family;
    s.bind_address = net::IpAddress::any(family);
    s.process = process;
    sockets_.push_back(&s);
    ++live_sockets_;
    return s;
}

Fd Kernel::install_fd(Socket& s, ProcessId process) {
    Fd fd{next_fd_++};
    fds_.open(fd.value, FdEntry{s.id, process, {}});
    s.has_fd = true;
    s.fd = fd.value;
    s.process = process;
    return fd;
}

void Kernel::notify(const Socket& s, SocketEvent event, Errno error) {
    if (!s.has_fd) return;
    const Fd fd{s.fd};
    const FdEntry* e = fds_.find(fd.value);
    if (e == nullptr || e->watches.empty()) return;
    sim_.schedule_after(Duration::zero(), [this, fd, event, error] { deliver(fd, event, error, std::nullopt); });
}

void Kernel::deliver(Fd fd, SocketEvent event, Errno error, std::optional<WatchId> only) {
    const FdEntry* e = fds_.find(fd.value);
    if (e == nullptr || e->watches.empty()) return;
    sim_.record<3>(trace_source_, "socket.event", [&](auto& fields) {
        fields.add("fd", std::int64_t{fd.value});
        fields.add("event", event_label(event));
        if (error != Errno::ok) fields.add("error", errno_label(error));
    });
    const SocketNotice notice{fd, event, error};
    // A watcher may watch, unwatch or close from inside its call: look the entry up again before
    // each call, and run the watcher moved out of its slot, putting it back if still registered.
    WatchId last{0};
    while (true) {
        FdEntry* entry = fds_.find(fd.value);
        if (entry == nullptr) return;
        auto& watches = entry->watches;
        auto next = std::find_if(watches.begin(), watches.end(), [&](const Watch& w) {
            return w.id > last && (!only || w.id == *only);
        });
        if (next == watches.end()) return;
        last = next->id;
        SocketWatcher running = std::move(next->watcher);
        running(notice);
        entry = fds_.find(fd.value);
        if (entry == nullptr) return;
        for (Watch& w : entry->watches)
            if (w.id == last && !w.watcher) w.watcher = std::move(running);
    }
}


void Kernel::take_port(Socket& s, const net::IpAddress& address, net::Port port, bool locked) {
    s.bound = true;
    s.bound_by_user = true;
    s.port_locked = locked;
    s.local_ip = address;
    s.bind_address = address;
    s.local_port = port;
    s.bound_since = sim_.now();
    ports_.occupy(s);
}

Errno Kernel::sockaddr_family_error(const Socket& s, const net::IpAddress& address) {
    // An IPv6 address on an IPv4 socket: sin_family != AF_INET (inet_bind, tcp_v4_connect).
    if (s.family == net::IpFamily::v4 && address.is_v6()) return Errno::eafnosupport;
    // An IPv4 address on an IPv6 socket: a sockaddr_in is shorter than SIN6_LEN_RFC2133.
    if (s.family == net::IpFamily::v6 && address.is_v4()) return Errno::einval;
    return Errno::ok;
}

BindingClass Kernel::binding_class_for(const Socket& s, const net::IpAddress& address) const {
    return BindingClass{address.unmapped(), s.options.v6only, s.options.reuseaddr, s.options.reuseport,
                        s.uid,              false,            false};
}

// ---- the socket API ---------------------------------------------------------------------

Result<Fd> Kernel::socket(net::IpFamily family, ProcessId process) {
    Socket& s = create_socket(family, process);
    Fd fd = install_fd(s, process);
    trace_call("sys.socket", fd, Errno::ok, "family", std::string_view(family == net::IpFamily::v4 ? "inet" : "inet6"));
    return fd;
}

Errno Kernel::setsockopt(Fd fd, SocketOption option, int value) {
    Socket* s = socket_of(fd);
    Errno result = Errno::ok;
    if (s == nullptr) {
        result = Errno::ebadf;
    } else {
        switch (option) {
            case SocketOption::reuseaddr: s->options.reuseaddr = value != 0; break;
            case SocketOption::reuseport: s->options.reuseport = value != 0; break;
            case SocketOption::v6only:
                // ip_setsockopt rejects IPv6 options on IPv4 sockets; IPV6_V6ONLY is fixed at bind.
                if (s->family == net::IpFamily::v4) result = Errno::enoprotoopt;
                else if (s->bound) result = Errno::einval;
                else s->options.v6only = value != 0;
                break;
            case SocketOption::linger:
                if (value < 0) s->options.linger_seconds.reset();
                else s->options.linger_seconds = value;
                break;
        }
        if (result == Errno::ok && s->registered) ports_.occupy(*s);
    }
    trace_call("sys.setsockopt", fd, result, "value", std::int64_t{value});
    return result;
}

Errno Kernel::bind(Fd fd, const net::SocketAddress& address) {
    Socket* s = socket_of(fd);
    Errno result = Errno::ok;
    const net::Host& host = network_.host(host_);
    if (s == nullptr) {
        result = Errno::ebadf;
    } else if (Errno mismatch = sockaddr_family_error(*s, address.ip); mismatch != Errno::ok) {
        result = mismatch;
    } else if (s->family == net::IpFamily::v6 && address.ip.is_v4_mapped() && s->options.v6only) {
        result = Errno::einval;
    } else if (!address.ip.is_unspecified() && !(address.ip.is_v4_mapped() && address.ip.unmapped().is_unspecified()) &&
               !host.owns(address.ip)) {
        result = Errno::eaddrnotavail;
    } else if (s->state != TcpState::closed || s->bound) {
        result = Errno::einval;
    } else {
        const BindingClass cls = binding_class_for(*s, address.ip);
        std::optional<net::Port> port = address.port;
        if (address.port == 0) port = ports_.pick_port_for_bind(cls);
        else if (ports_.conflicts(cls, address.port, BindCheck::explicit_port)) port.reset();
        if (port) {
            take_port(*s, address.ip, *port, address.port != 0);
            // __inet_bind clears inet_daddr; __inet6_bind leaves sk_v6_daddr, which is what
            // /proc/net/tcp6 shows.
            if (s->family == net::IpFamily::v4) s->daddr_left.reset();
            // inet6_bind: a socket bound to a specific, non-mapped IPv6 address becomes IPv6-only.
            if (address.ip.is_v6() && !address.ip.is_unspecified() && !address.ip.is_v4_mapped()) {
                s->options.v6only = true;
                ports_.occupy(*s);
            }
        } else {
            result = Errno::eaddrinuse;
        }
    }
    if (result == Errno::ok && address.port == 0) {
        // The port the kernel chose (what getsockname() reports): the fact a port race turns on.
        const std::int64_t chosen = s->local_port;
        sim_.record<4>(trace_source_, "sys.bind", [&](auto& fields) {
            fields.add("fd", std::int64_t{fd.value});
            fields.add("result", errno_label(result));
            fields.add("addr", address.trace());
            fields.add("port", chosen);
        });
    } else {
        trace_call("sys.bind", fd, result, "addr", address.trace());
    }
    return result;
}

Errno Kernel::listen(Fd fd, int backlog) {
    Socket* s = socket_of(fd);
    Errno result = Errno::ok;
    if (s == nullptr) {
        result = Errno::ebadf;
    } else if (s->layer != SocketLayerState::unconnected ||
               (s->state != TcpState::closed && s->state != TcpState::listen)) {
        result = Errno::einval;  // inet_listen: only an unconnected CLOSE or LISTEN socket
    } else {
        const int clamped = (backlog < 0 || backlog > sysctls_.somaxconn) ? sysctls_.somaxconn : backlog;
        if (s->state == TcpState::listen) {
            s->backlog = clamped;
        } else {
            if (!s->bound) {
                // inet_autobind: on the address a bind() left (SOCK_BINDADDR_LOCK), else any.
                const net::IpAddress address = s->bind_address;
                auto port = ports_.pick_port_for_bind(binding_class_for(*s, address));
                if (port) take_port(*s, address, *port, false);
                else result = Errno::eaddrinuse;
            } else if (ports_.conflicts(binding_class_for(*s, s->local_ip), s->local_port, BindCheck::explicit_port,
                                        s)) {
                // inet_csk_listen_start re-checks the port with the socket already in LISTEN.
                result = Errno::eaddrinuse;
            }
            // Measured (Linux 6.18): after a failed connect() the port step still happens (and an
            // autobound port stays taken), then listen() fails.
            if (result == Errno::ok && s->connect_failed) result = Errno::einval;
            if (result == Errno::ok) {
                s->backlog = clamped;
                set_state(*s, TcpState::listen, TcpReason::listen);
                ports_.add_listener(*s);
            }
        }
    }
    trace_call("sys.listen", fd, result, "backlog", std::int64_t{backlog});
    return result;
}

Errno Kernel::connect_address_check(const Socket& s, const net::SocketAddress& target) const {
    // An unconnected socket in __inet_stream_connect's order, then tcp_v4_connect's / tcp_v6_connect's
    // checks of the sockaddr itself.
    if (s.state != TcpState::closed) return Errno::eisconn;  // listening, or a connection still closing
    return sockaddr_family_error(s, target.ip);
}

Errno Kernel::connect_route_check(const Socket& s, const net::SocketAddress& target) const {
    // What tcp_v6_connect (and, for the disconnected listener, tcp_v4_connect) refuses after it
    // has set the socket's destination address.
    if (s.family == net::IpFamily::v6 && target.ip.is_v4_mapped() && s.options.v6only)
        return Errno::enetunreach;  // an IPv6-only socket has no IPv4 route
    if (s.family == net::IpFamily::v6 && !target.ip.is_v4_mapped() && s.bind_address.is_v4_mapped())
        return Errno::eafnosupport;  // bound to an IPv4-mapped address: IPv4 only from then on
    if (s.listener_disconnected) return Errno::einval;  // measured, after the family checks
    return Errno::ok;
}

net::SocketAddress Kernel::connect_destination(const Socket& s, net::SocketAddress target) const {
    if (s.family == net::IpFamily::v6 && target.ip.is_v6() && target.ip.is_unspecified()) {
        // tcp_v6_connect: a connect to :: goes to loopback, IPv4-mapped if the socket is bound so.
        target.ip = s.bind_address.is_v4_mapped() ? net::IpAddress::loopback(net::IpFamily::v4).mapped_v6()
                                                  : net::IpAddress::loopback(net::IpFamily::v6);
    }
    return target;
}

Errno Kernel::connect(Fd fd, const net::SocketAddress& address) {
    Socket* s = socket_of(fd);
    Errno result = Errno::ebadf;
    if (s != nullptr) {
        // __inet_stream_connect, called non-blocking: first by the socket layer's state.
        switch (s->layer) {
            case SocketLayerState::disconnecting: result = Errno::einval; break;
            case SocketLayerState::connected: result = Errno::eisconn; break;
            case SocketLayerState::connecting: result = connect_outcome(*s, Errno::ealready); break;
            case SocketLayerState::unconnected: {
                const net::SocketAddress target = connect_destination(*s, address);
                result = connect_address_check(*s, target);
                if (result == Errno::ok) {
                    s->daddr_left = target.ip.unmapped();
                    result = connect_route_check(*s, target);
                    // The disconnected listener's EINVAL comes after tcp_v4_connect entered
                    // SYN_SENT: its failure path closes the socket again, which gives back a port
                    // bind() did not lock (measured: a later bind() succeeds).
                    if (result == Errno::einval && s->listener_disconnected) give_back_unlocked_port(*s);
                }
                if (result == Errno::ok) result = start_connect(*s, target);
                if (result == Errno::einprogress) {
                    s->layer = SocketLayerState::connecting;
                    result = connect_outcome(*s, result);
                }
                break;
            }
        }
    }
    trace_call("sys.connect", fd, result, "addr", address.trace());
    return result;
}

Errno Kernel::connect_outcome(Socket& s, Errno waiting) {
    // The end of __inet_stream_connect: a handshake under way answers `waiting` (EINPROGRESS
    // or EALREADY); a socket that reached CLOSE reports its error (sock_error, or ECONNABORTED
    // when it closed without one) and is disconnected (tcp_disconnect); any other state means
    // the connection was made.
    if (s.state == TcpState::syn_sent || s.state == TcpState::syn_recv) return waiting;
    if (s.state == TcpState::closed) {
        const Errno error = s.pending_error != Errno::ok ? s.pending_error : Errno::econnaborted;
        s.pending_error = Errno::ok;
        s.layer = SocketLayerState::unconnected;
        s.connect_failed = true;
        disconnect(s);
        return error;
    }
    s.layer = SocketLayerState::connected;
    return Errno::ok;
}

void Kernel::disconnect(Socket& s) {
    // tcp_disconnect on a closed socket: shutdown flags, end of stream and queued data are
    // cleared, and the bhash2 entry goes back to the bound address (inet_bhash2_reset_saddr: a
    // socket bound to 0.0.0.0 counted under the connect's source address until now).
    s.rcv_shutdown = s.snd_shutdown = false;
    s.fin_received = false;
    s.received_unread = 0;
    s.receive_queue.clear();
    if (s.bound) {
        s.local_ip = s.bind_address;
        ports_.occupy(s);
    }
}

Errno Kernel::start_connect(Socket& s, const net::SocketAddress& target) {
    net::IpAddress destination = target.ip.unmapped();
    if (destination.is_unspecified()) {
        // ip_route_connect: an IPv4 connect to 0.0.0.0 goes to the socket's own bound address,
        // else to 127.0.0.1.
        const net::IpAddress own = s.bind_address.unmapped();
        destination = own.is_v4() && !own.is_unspecified() ? own : net::IpAddress::loopback(net::IpFamily::v4);
    }
    const net::SocketAddress remote{destination, target.port};
    net::IpAddress local = s.bind_address.unmapped();
    if (local.family() != destination.family()) local = net::IpAddress::any(destination.family());
    if (local.is_unspecified()) local = network_.host(host_).source_address_for(destination);

    // tcp_v4_connect / tcp_v6_connect set the destination before hashing the connection; when
    // that fails (EADDRNOTAVAIL), `failure:` resets the port but not the address.
    s.daddr_left = destination;
    std::optional<SocketId> reuse;
    if (!s.bound) {
        auto tw_reusable = [this, &local](SocketId id) {
            const Socket* tw = find(id);
            if (tw == nullptr || tw->state != TcpState::time_wait || sysctls_.tcp_tw_reuse == 0) return false;
            if (sysctls_.tcp_tw_reuse == 2 && !(local.is_loopback() || tw->remote->ip.is_loopback())) return false;
            return sim_.now() - tw->time_wait_since > sysctls_.tcp_tw_reuse_delay;
        };
        auto port = ports_.pick_port_for_connect(local, remote, tw_reusable, reuse);
        if (!port) return Errno::eaddrnotavail;
        s.bound = true;
        s.bound_by_user = false;
        s.local_port = *port;
        s.bound_since = sim_.now();
    } else if (auto existing = ports_.find_connection(FourTuple{local, s.local_port, remote.ip, remote.port})) {
        // A bound socket may take over a TIME_WAIT 4-tuple (tcp_twsk_unique without twp).
        const Socket* other = find(*existing);
        if (other == nullptr || other->state != TcpState::time_wait) return Errno::eaddrnotavail;
        reuse = existing;
    }
    if (reuse) {
        Socket* tw = find(*reuse);
        to_closed(*tw, TcpReason::time_wait_taken_by_connect);
        free_if_done(*tw);
    }
    s.local_ip = local;
    s.remote = remote;
    s.connect_in_progress = true;
    if (s.family == net::IpFamily::v6 && remote.ip.is_v4()) s.mapped_ops = true;
    ports_.occupy(s);
    set_state(s, TcpState::syn_sent, TcpReason::connect);
    enter_connection_table(s);
    s.retransmissions = 0;
    send_flags(s, net::flag_syn);
    arm_timer(s, sysctls_.tcp_initial_rto);
    return Errno::einprogress;
}

Result<Fd> Kernel::accept(Fd listener_fd) {
    Socket* l = socket_of(listener_fd);
    Errno error = Errno::ok;
    Fd fd;
    if (l == nullptr) error = Errno::ebadf;
    else if (l->state != TcpState::listen) error = Errno::einval;
    else if (l->accept_queue.empty()) error = Errno::eagain;
    else {
        Socket* child = find(l->accept_queue.front());
        l->accept_queue.pop_front();
        NETSIM_CHECK(child != nullptr);
        child->in_accept_queue = false;
        child->listener.reset();
        child->layer = SocketLayerState::connected;  // __inet_accept
        fd = install_fd(*child, fds_.find(listener_fd.value)->process);
    }
    trace_call("sys.accept", listener_fd, error, "new_fd", std::int64_t{fd.value});
    if (error != Errno::ok) return error;
    return fd;
}

Result<std::size_t> Kernel::send(Fd fd, std::size_t bytes, std::uint64_t message) {
    Socket* s = socket_of(fd);
    Errno error = Errno::ok;
    auto take_error = [](Socket& sock, Errno fallback) {
        const Errno e = sock.pending_error != Errno::ok ? sock.pending_error : fallback;
        sock.pending_error = Errno::ok;
        return e;
    };
    if (s == nullptr) {
        error = Errno::ebadf;
    } else if (s->state != TcpState::established && s->state != TcpState::close_wait) {
        // tcp_sendmsg -> sk_stream_wait_connect
        if (s->pending_error != Errno::ok) error = take_error(*s, Errno::epipe);
        else if (s->state == TcpState::syn_sent || s->state == TcpState::syn_recv) error = Errno::eagain;
        else error = Errno::epipe;
    } else if (s->pending_error != Errno::ok || s->snd_shutdown) {
        error = take_error(*s, Errno::epipe);
    } else if (bytes > 0) {
        send_flags(*s, net::flag_ack, static_cast<std::uint32_t>(bytes), message);  // a 0-byte send sends nothing
    }
    trace_call("sys.send", fd, error, "bytes", static_cast<std::int64_t>(bytes));
    if (error != Errno::ok) return error;
    return bytes;
}

Errno Kernel::empty_receive_status(Socket& s) {
    // tcp_recvmsg_locked with nothing queued, in its order: SOCK_DONE (FIN seen), the pending
    // error, RCV_SHUTDOWN, a never-connected socket, and finally "would block".
    if (s.fin_received) return Errno::ok;
    if (s.pending_error != Errno::ok) {
        const Errno e = s.pending_error;
        s.pending_error = Errno::ok;
        return e;
    }
    if (s.rcv_shutdown) return Errno::ok;
    if (s.state == TcpState::closed) return Errno::enotconn;
    return Errno::eagain;
}

Result<std::size_t> Kernel::recv(Fd fd, std::size_t max_bytes) {
    Socket* s = socket_of(fd);
    Errno error = Errno::ok;
    std::size_t got = 0;
    if (s == nullptr) error = Errno::ebadf;
    else if (s->state == TcpState::listen) error = Errno::enotconn;
    else if (s->received_unread > 0) {
        got = static_cast<std::size_t>(std::min<std::uint64_t>(s->received_unread, max_bytes));
        s->received_unread -= got;
        for (std::uint64_t left = got; left > 0;) {
            auto& [bytes, message] = s->receive_queue.front();
            const std::uint64_t take = std::min(left, bytes);
            bytes -= take;
            left -= take;
            if (bytes == 0) s->receive_queue.pop_front();
        }
    } else {
        error = empty_receive_status(*s);
    }
    trace_call("sys.recv", fd, error, "bytes", static_cast<std::int64_t>(got));
    if (error != Errno::ok) return error;
    return got;
}

Result<ReceivedMessage> Kernel::recv_message(Fd fd) {
    Socket* s = socket_of(fd);
    Errno error = Errno::ok;
    ReceivedMessage got;
    if (s == nullptr) error = Errno::ebadf;
    else if (s->state == TcpState::listen) error = Errno::enotconn;
    else if (!s->receive_queue.empty()) {
        got.bytes = static_cast<std::size_t>(s->receive_queue.front().first);
        got.message = s->receive_queue.front().second;
        s->receive_queue.pop_front();
        s->received_unread -= got.bytes;
    } else {
        error = empty_receive_status(*s);
    }
    trace_call("sys.recv", fd, error, "bytes", static_cast<std::int64_t>(got.bytes));
    if (error != Errno::ok) return error;
    return got;
}

Errno Kernel::shutdown(Fd fd, ShutdownMode how) {
    Socket* s = socket_of(fd);
    Errno result = Errno::ok;
    const bool rd = how != ShutdownMode::write;
    const bool wr = how != ShutdownMode::read;
    if (s != nullptr && s->layer == SocketLayerState::connecting) {
        // inet_shutdown: a connect() whose handshake is under way or failed is abandoned; one that
        // succeeded counts as connected from now on.
        const bool unfinished = s->state == TcpState::syn_sent || s->state == TcpState::syn_recv ||
                                s->state == TcpState::closed;
        s->layer = unfinished ? SocketLayerState::disconnecting : SocketLayerState::connected;
    }
    if (s == nullptr) {
        result = Errno::ebadf;
    } else if (s->state == TcpState::listen || s->state == TcpState::syn_sent) {
        // inet_shutdown: SHUT_RD on a listener, or any shutdown during a connect, disconnects
        // the socket (tcp_disconnect), which also clears earlier shutdown flags.
        if (s->state == TcpState::syn_sent || rd) {
            s->connect_in_progress = false;
            if (s->state == TcpState::listen) {
                close_listener(*s);
                s->listener_disconnected = true;
            } else {
                to_closed(*s, TcpReason::shutdown_during_connect);
            }
            s->rcv_shutdown = s->snd_shutdown = false;
            s->layer = SocketLayerState::unconnected;
        }
    } else {
        if (s->state == TcpState::closed) result = Errno::enotconn;
        if (rd) s->rcv_shutdown = true;
        if (wr && !s->snd_shutdown) {
            s->snd_shutdown = true;
            if (s->state == TcpState::established || s->state == TcpState::close_wait) start_active_close(*s);
        }
    }
    trace_call("sys.shutdown", fd, result, "how", std::string_view(rd && wr ? "rdwr" : rd ? "rd" : "wr"));
    return result;
}

Errno Kernel::close(Fd fd) {
    const FdEntry* e = fds_.find(fd.value);
    if (e == nullptr) {
        trace_call("sys.close", fd, Errno::ebadf);
        return Errno::ebadf;
    }
    Socket* s = find(e->socket);
    fds_.close(fd.value);
    trace_call("sys.close", fd, Errno::ok);
    NETSIM_CHECK(s != nullptr);
    s->has_fd = false;
    s->fd = -1;
    s->rcv_shutdown = true;
    switch (s->state) {
        case TcpState::listen:
            close_listener(*s);
            break;
        case TcpState::syn_sent:
            s->connect_in_progress = false;
            to_closed(*s, TcpReason::close_during_connect);
            break;
        case TcpState::established:
        case TcpState::close_wait:
            // tcp_close: unread data, or SO_LINGER with a zero timeout, aborts with RST.
            if (s->received_unread > 0 || (s->options.linger_seconds && *s->options.linger_seconds == 0)) {
                abort_with_reset(*s, s->received_unread > 0 ? TcpReason::close_with_unread_data : TcpReason::close_with_linger_zero);
            } else {
                s->snd_shutdown = true;
                start_active_close(*s);
            }
            break;
        case TcpState::fin_wait1:
        case TcpState::fin_wait2:
            if (s->options.linger_seconds && *s->options.linger_seconds == 0) {
                abort_with_reset(*s, TcpReason::close_with_linger_zero);
            } else if (s->state == TcpState::fin_wait2) {
                arm_timer(*s, sysctls_.tcp_fin_timeout);  // an orphan waits tcp_fin_timeout for the FIN
            }
            break;
        default:
            break;
    }
    free_if_done(*s);
    return Errno::ok;
}

Result<net::SocketAddress> Kernel::getsockname(Fd fd) const {
    const Socket* s = socket_of(fd);
    if (s == nullptr) return Errno::ebadf;
    if (!s->bound) return net::SocketAddress{net::IpAddress::any(s->family), s->reported_port};
    net::IpAddress ip = s->local_ip;
    if (s->family == net::IpFamily::v6) ip = ip.mapped_v6();
    return net::SocketAddress{ip, s->local_port};
}

Result<net::SocketAddress> Kernel::getpeername(Fd fd) const {
    const Socket* s = socket_of(fd);
    if (s == nullptr) return Errno::ebadf;
    if (!s->remote || s->state == TcpState::closed || s->state == TcpState::syn_sent) return Errno::enotconn;
    net::IpAddress ip = s->remote->ip;
    if (s->family == net::IpFamily::v6) ip = ip.mapped_v6();
    return net::SocketAddress{ip, s->remote->port};
}

Errno Kernel::socket_error(Fd fd) {
    Socket* s = socket_of(fd);
    if (s == nullptr) return Errno::ebadf;
    const Errno e = s->pending_error;
    s->pending_error = Errno::ok;
    return e;
}

bool Kernel::connect_in_progress(Fd fd) const {
    const Socket* s = socket_of(fd);
    return s != nullptr && s->connect_in_progress;
}

WatchId Kernel::watch(Fd fd, SocketWatcher watcher) {
    FdEntry* e = fds_.find(fd.value);
    NETSIM_CHECK_MSG(e != nullptr, "no descriptor {}", fd);
    const WatchId id{next_watch_++};
    e->watches.push_back(Watch{id, std::move(watcher)});
    // Level-triggered at registration: what already holds is delivered to this watch at once.
    const Socket* s = find(e->socket);
    NETSIM_CHECK(s != nullptr);
    auto now = [&](SocketEvent event, Errno error) {
        sim_.schedule_after(Duration::zero(), [this, fd, event, error, id] { deliver(fd, event, error, id); });
    };
    if (!s->accept_queue.empty()) now(SocketEvent::acceptable, Errno::ok);
    if (s->received_unread > 0) now(SocketEvent::readable, Errno::ok);
    if (s->fin_received) now(SocketEvent::peer_closed, Errno::ok);
    if (s->state == TcpState::closed && s->was_established && s->pending_error != Errno::ok)
        now(SocketEvent::reset, s->pending_error);
    return id;
}

void Kernel::unwatch(Fd fd, WatchId watch) {
    FdEntry* e = fds_.find(fd.value);
    if (e == nullptr) return;
    erase_if(e->watches, [&](const Watch& w) { return w.id == watch; });
}

void Kernel::kill_process(ProcessId process) {
    std::vector<Fd> owned;
    fds_.for_each([&](int fd, const FdEntry& entry) {
        if (entry.process == process) owned.push_back(Fd{fd});
    });
    sim_.record(trace_source_, "process.exit",
                {{"process", std::int64_t{process.value}}, {"fds", static_cast<std::int64_t>(owned.size())}});
    for (Fd fd : owned) (void)close(fd);
}

SocketView Kernel::view_of(const Socket& s) {
    SocketView v{s.id,         std::nullopt, s.process,     s.family,       s.state,
                 std::nullopt, s.remote,     s.state_since, s.bound_since,  s.options.reuseaddr,
                 s.options.reuseport, s.daddr_left};
    if (s.has_fd) v.fd = Fd{s.fd};
    if (s.bound) v.local = net::SocketAddress{s.local_ip, s.local_port};
    return v;
}

std::optional<SocketView> Kernel::first_descriptor_of(ProcessId process) const {
    for (const Socket* s : sockets_)
        if (s != nullptr && s->has_fd && s->process == process) return view_of(*s);
    return std::nullopt;
}

std::vector<SocketView> Kernel::sockets() const {
    std::vector<SocketView> out;
    for (const Socket* s : sockets_) {
        if (s == nullptr) continue;
        out.push_back(view_of(*s));
    }
    return out;
}

}  // namespace netsim::kernel
