// The TCP state machine's bookkeeping: state changes (one traced place), the connection table,
// closing paths (FIN, RST, TIME_WAIT) and the timers (SYN and SYN-ACK retransmission, TIME_WAIT,
// orphaned FIN_WAIT2). References: RFC 9293 §3.6 (closing), Linux net/ipv4/tcp.c (tcp_close,
// tcp_done), tcp_minisocks.c (TIME_WAIT), tcp_timer.c (retransmission).
#include "sim/core/check.h"
#include "sim/kernel/kernel.h"

#include <algorithm>
#include <array>

namespace netsim::kernel {

namespace {
bool is_synchronized(TcpState s) {
    return s != TcpState::closed && s != TcpState::listen && s != TcpState::syn_sent && s != TcpState::syn_recv;
}
}  // namespace

void Kernel::set_state(Socket& s, TcpState next, TcpReason why) {
    if (s.state == next) return;
    sim_.record<6>(trace_source_, "tcp.state", [&](auto& fields) {
        fields.add("sock", std::int64_t{s.id.value});
        fields.add("from", state_label(s.state));
        fields.add("to", state_label(next));
        fields.add("why", reason_label(why));
        if (s.bound) fields.add("local", s.local_ip.trace(s.local_port));
        if (s.remote) fields.add("remote", s.remote->trace());
    });
    // Entering or leaving LISTEN or TIME_WAIT changes the socket's binding class; no other
    // transition does (the class holds nothing else that a state change touches).
    const bool class_changes = (s.state == TcpState::listen) != (next == TcpState::listen) ||
                               (s.state == TcpState::time_wait) != (next == TcpState::time_wait);
    s.state = next;
    s.state_since = sim_.now();
    if (s.registered && class_changes) ports_.occupy(s);
}

FourTuple Kernel::connection_key(const Socket& s) {
    return FourTuple{s.local_ip.unmapped(), s.local_port, s.remote->ip, s.remote->port};
}

void Kernel::enter_connection_table(Socket& s) {
    NETSIM_CHECK(s.remote.has_value() && !s.in_connection_table);
    ports_.add_connection(connection_key(s), s.id);
    s.in_connection_table = true;
}

void Kernel::leave_connection_table(Socket& s) {
    if (!s.in_connection_table) return;
    ports_.remove_connection(connection_key(s));
    s.in_connection_table = false;
}

void Kernel::to_closed(Socket& s, TcpReason why) {
    // Linux's tcp_done(): timers stop, the socket leaves the connection table; a synchronized
    // connection is shut down both ways; a port not locked by bind() is given back.
    cancel_timer(s);
    if (s.state == TcpState::listen) ports_.remove_listener(s);
    leave_connection_table(s);
    const bool synchronized = is_synchronized(s.state);
    set_state(s, TcpState::closed, why);
    if (synchronized) s.rcv_shutdown = s.snd_shutdown = true;
    give_back_unlocked_port(s);
    // A connect() still waiting finds the socket closed (without an error, unless one is set).
    if (s.connect_in_progress) fail_connect(s, s.pending_error);
}

void Kernel::give_back_unlocked_port(Socket& s) {
    // tcp_set_state(TCP_CLOSE): inet_put_port unless bind() locked the port (SOCK_BINDPORT_LOCK).
    if (!s.bound || s.port_locked) return;
    ports_.release(s);
    s.bound = false;
    s.local_port = 0;
}

void Kernel::enter_time_wait(Socket& s) {
    cancel_timer(s);
    Socket* tw = &s;
    if (s.has_fd) {
        // As in Linux, a separate TIME_WAIT socket takes over the 4-tuple and the port; the
        // descriptor's socket becomes CLOSED (tcp_time_wait + tcp_done).
        tw = &create_socket(s.family, s.process);
        tw->uid = s.uid;
        tw->options = s.options;
        tw->bound = true;
        tw->bound_by_user = s.bound_by_user;
        tw->port_locked = s.port_locked;
        tw->local_ip = s.local_ip;
        tw->local_port = s.local_port;
        tw->bound_since = s.bound_since;
        tw->remote = s.remote;
        tw->has_fd = false;
        tw->state = s.state;
        leave_connection_table(s);
        ports_.occupy(*tw);
        enter_connection_table(*tw);
        sim_.record(trace_source_, "tcp.time_wait_split",
                    {{"sock", std::int64_t{s.id.value}}, {"time_wait_sock", std::int64_t{tw->id.value}}});
        to_closed(s, TcpReason::moved_to_time_wait_socket);
    }
    set_state(*tw, TcpState::time_wait, TcpReason::active_close_finished);
    tw->time_wait_since = sim_.now();
    arm_timer(*tw, sysctls_.time_wait);
}

void Kernel::free_if_done(Socket& s) {
    if (s.state != TcpState::closed || s.has_fd || s.in_accept_queue) return;
    cancel_timer(s);
    leave_connection_table(s);
    ports_.release(s);
    sim_.record<1>(trace_source_, "socket.free", [&](auto& fields) { fields.add("sock", std::int64_t{s.id.value}); });
    const std::uint32_t id = s.id.value;
    sockets_[id] = nullptr;
    socket_storage_.destroy(s);  // `s` dangles from here on
    --live_sockets_;
}

void Kernel::send_flags(Socket& s, std::uint8_t flags, std::uint32_t bytes, std::uint64_t message) {
    NETSIM_CHECK(s.remote.has_value());
    if (s.ack_owed && (flags & net::flag_ack) != 0) {
        // The delayed ACK of the peer's FIN rides on this segment.
        s.ack_owed = false;
        if (s.state == TcpState::close_wait) cancel_timer(s);
    }
    if (s.mapped_ops && s.remote->ip.is_v6()) {
        sim_.record(trace_source_, "tcp.lost_by_mapped_ops", {{"sock", std::int64_t{s.id.value}}});
        return;
    }
    net::Segment seg{net::SocketAddress{s.local_ip.unmapped(), s.local_port}, *s.remote, flags, bytes, message};
    seg.acks_peer_fin = s.fin_received && (flags & net::flag_ack) != 0;
    seg.sender_socket = s.id.value + 1;
    seg.receiver_hint = s.peer_hint;
    network_.send(host_, seg, &s.route);
}

void Kernel::send_reset_for(const net::Segment& in) {
    if (in.has(net::flag_rst)) return;  // never answer a reset
    net::Segment rst{in.dst, in.src, static_cast<std::uint8_t>(net::flag_rst | net::flag_ack), 0};
    network_.send(host_, rst);
}

void Kernel::abort_with_reset(Socket& s, TcpReason why) {
    send_flags(s, net::flag_rst | net::flag_ack);
    to_closed(s, why);
}

void Kernel::arm_timer(Socket& s, Duration after) {
    cancel_timer(s);
    s.timer = sim_.schedule_after(after, [this, id = s.id] { on_timer(id); });
}

void Kernel::cancel_timer(Socket& s) {
    if (s.timer.valid()) sim_.cancel(s.timer);
    s.timer = EventId{};
}

void Kernel::on_timer(SocketId id) {
    Socket* s = find(id);
    if (s == nullptr) return;
    s->timer = EventId{};
    switch (s->state) {
        case TcpState::syn_sent:
            // tcp_syn_retries + tcp_syn_linear_timeouts retransmissions: the first ones 1 s apart,
            // then doubling (tcp_retransmit_timer); SYNs at 1, 2, 3, 4, 5, 7, 11, 19, 35, 67 s
            // and ETIMEDOUT at 131 s by default (measured on Linux 6.18: about 133 s).
            if (s->retransmissions < sysctls_.tcp_syn_retries + sysctls_.tcp_syn_linear_timeouts) {
                ++s->retransmissions;
                send_flags(*s, net::flag_syn);
                const int doublings = std::max(0, s->retransmissions - sysctls_.tcp_syn_linear_timeouts);
                arm_timer(*s, sysctls_.tcp_initial_rto * (std::int64_t{1} << doublings));
            } else {
                fail_connect(*s, Errno::etimedout);
            }
            break;
        case TcpState::syn_recv:
            // The server's half-open connection retransmits SYN-ACK, then gives up silently.
            if (s->retransmissions < sysctls_.tcp_synack_retries) {
                ++s->retransmissions;
                send_flags(*s, net::flag_syn | net::flag_ack);
                arm_timer(*s, sysctls_.tcp_initial_rto * (std::int64_t{1} << s->retransmissions));
            } else if (s->connect_in_progress) {
                fail_connect(*s, Errno::etimedout);
            } else {
                to_closed(*s, TcpReason::syn_ack_retries_exhausted);
            }
            break;
        case TcpState::time_wait:
            to_closed(*s, TcpReason::time_wait_expired);
            break;
        case TcpState::fin_wait2:
            to_closed(*s, TcpReason::orphan_fin_wait2_timeout);
            break;
        case TcpState::close_wait:
            // The delayed ACK of the peer's FIN.
            if (s->ack_owed) send_flags(*s, net::flag_ack);
            break;
        default:
            break;
    }
    free_if_done(*s);
}

void Kernel::close_listener(Socket& s) {
    // inet_csk_listen_stop: completed connections nobody accepted are reset.
    for (SocketId child_id : s.accept_queue.take_all()) {
        Socket* child = find(child_id);
        if (child == nullptr) continue;
        child->in_accept_queue = false;
        child->listener.reset();
        if (child->state != TcpState::closed) abort_with_reset(*child, TcpReason::listener_closed_before_accept);
        free_if_done(*child);
    }
    to_closed(s, TcpReason::listener_closed);
}

void Kernel::start_active_close(Socket& s) {
    // RFC 9293 §3.6: ESTABLISHED sends FIN and waits in FIN_WAIT1; CLOSE_WAIT sends FIN and
    // waits for its ACK in LAST_ACK.
    set_state(s, s.state == TcpState::established ? TcpState::fin_wait1 : TcpState::last_ack, TcpReason::fin_sent);
    send_flags(s, net::flag_fin | net::flag_ack);
}

void Kernel::record_connect_done(const Socket& s, Errno result) {
    sim_.record<2>(trace_source_, "tcp.connect_done", [&](auto& fields) {
        fields.add("sock", std::int64_t{s.id.value});
        fields.add("result", errno_label(result));
    });
}

void Kernel::finish_connect(Socket& s) {
    s.connect_in_progress = false;
    record_connect_done(s, Errno::ok);
    cancel_timer(s);
    s.was_established = true;
    notify(s, SocketEvent::connected);
}

void Kernel::fail_connect(Socket& s, Errno error) {
    s.connect_in_progress = false;
    const Errno reported = error != Errno::ok ? error : Errno::econnaborted;
    record_connect_done(s, reported);
    s.pending_error = error;
    if (s.state != TcpState::closed) to_closed(s, TcpReason::connect_failed);
    // tcp_done: the socket is shut down both ways. It stays so (recv reads end of stream, send
    // gets EPIPE, its bhash2 entry keeps the connect's source address) until connect() is called
    // again and disconnects it (connect_outcome).
    s.rcv_shutdown = s.snd_shutdown = true;
    notify(s, SocketEvent::connect_failed, reported);
}

}  // namespace netsim::kernel
