// Segment arrival: demultiplexing (connection table, then listeners, else RST) and the state
// machine's input transitions, each arm naming the RFC 9293 / Linux rule it follows.
#include "sim/core/check.h"
#include "sim/kernel/kernel.h"

namespace netsim::kernel {

Socket* Kernel::connection_for(const net::Segment& seg) {
    // The sender's guess, if that socket holds exactly this 4-tuple in the connection table: the
    // table maps a tuple to one socket, so it is the one the lookup would return.
    const FourTuple tuple{seg.dst.ip, seg.dst.port, seg.src.ip, seg.src.port};
    if (seg.receiver_hint != 0) {
        Socket* s = find(SocketId{seg.receiver_hint - 1});
        if (s != nullptr && s->in_connection_table && connection_key(*s) == tuple) return s;
    }
    const auto id = ports_.find_connection(tuple);
    if (!id) return nullptr;
    Socket* s = find(*id);
    NETSIM_CHECK(s != nullptr);
    return s;
}

void Kernel::receive_segment(const net::Segment& seg) {
    if (Socket* s = connection_for(seg)) {
        s->peer_hint = seg.sender_socket;
        // A new SYN for a 4-tuple in TIME_WAIT ends the TIME_WAIT (Linux TCP_TW_SYN, timestamps
        // make it acceptable) and goes on to the listener; with none, it is refused (measured:
        // tests/conformance/scripts/connect_into_server_time_wait_*).
        if (s->state == TcpState::time_wait && seg.has(net::flag_syn) && !seg.has(net::flag_ack)) {
            to_closed(*s, TcpReason::new_syn_for_time_wait);
            free_if_done(*s);
            if (Socket* l = find_listener(seg.dst)) on_syn_to_listener(*l, seg);
            else send_reset_for(seg);
            return;
        }
        on_segment(*s, seg);
        free_if_done(*s);
        return;
    }
    if (seg.has(net::flag_syn) && !seg.has(net::flag_ack)) {
        if (Socket* l = find_listener(seg.dst)) {
            on_syn_to_listener(*l, seg);
            return;
        }
    }
    // RFC 9293 §3.10.7.1: a segment for no connection is answered with RST (a SYN to a port
    // without listener: the client's connect() fails with ECONNREFUSED).
    sim_.record<2>(trace_source_, "tcp.no_socket", [&](auto& fields) {
        fields.add("dst", seg.dst.trace());
        fields.add("flags", seg.flag_label());
    });
    send_reset_for(seg);
}

Socket* Kernel::find_listener(const net::SocketAddress& local) {
    // Linux's listener lookup: an exact address beats a wildcard, an IPv4 socket beats a
    // dual-stack IPv6 one for IPv4 traffic; SO_REUSEPORT groups pick one member (seeded here,
    // a hash in Linux).
    int best_score = 0;
    SmallVector<Socket*, 4> best;
    for (SocketId id : ports_.listeners(local.port)) {
        Socket* l = find(id);
        if (l == nullptr) continue;
        const net::IpAddress bound = l->local_ip.unmapped();
        int score = 0;
        if (local.ip.is_v4()) {
            if (bound.is_v6() && l->options.v6only) continue;
            if (bound == local.ip) score = 4;
            else if (bound.is_unspecified()) score = 2;
            else continue;
            if (l->family == net::IpFamily::v4) score += 1;
        } else {
            if (bound.is_v4()) continue;
            if (bound == local.ip) score = 4;
            else if (bound.is_unspecified()) score = 2;
            else continue;
        }
        if (score > best_score) {
            best_score = score;
            best.clear();
        }
        if (score == best_score) best.push_back(l);
    }
    if (best.empty()) return nullptr;
    if (best.size() == 1) return best.front();
    return best[static_cast<std::size_t>(reuseport_rng_.below(best.size()))];
}

void Kernel::on_syn_to_listener(Socket& l, const net::Segment& seg) {
    // A full accept queue (more than backlog completed connections) drops the SYN: the client
    // retransmits it (tcp_conn_request, sk_acceptq_is_full).
    if (l.accept_queue.size() > static_cast<std::size_t>(l.backlog)) {
        sim_.record(trace_source_, "tcp.syn_dropped",
                    {{"listener", std::int64_t{l.id.value}}, {"reason", std::string("accept queue full")}});
        return;
    }
    Socket& child = create_socket(l.family, l.process);
    child.uid = l.uid;
    child.options = l.options;  // accepted sockets inherit the listener's options (sk_clone_lock)
    child.bound = true;
    child.bound_by_user = l.bound_by_user;
    child.port_locked = l.port_locked;  // sk_clone_lock copies sk_userlocks
    child.local_ip = seg.dst.ip;
    child.local_port = seg.dst.port;
    child.bound_since = sim_.now();
    child.remote = seg.src;
    child.listener = l.id;
    child.has_fd = false;
    // sk_clone_lock copies sk_shutdown too: a listener shut down before listen() (ENOTCONN,
    // but the flags stay) passes its shutdown on to every connection it accepts.
    child.snd_shutdown = l.snd_shutdown;
    child.rcv_shutdown = l.rcv_shutdown;
    ports_.occupy(child);
    set_state(child, TcpState::syn_recv, TcpReason::syn_to_listener);
    enter_connection_table(child);
    send_flags(child, net::flag_syn | net::flag_ack);
    arm_timer(child, sysctls_.tcp_initial_rto);
}

void Kernel::complete_child(Socket& child) {
    Socket* l = child.listener ? find(*child.listener) : nullptr;
    if (l == nullptr || l->state != TcpState::listen) {
        abort_with_reset(child, TcpReason::listener_gone_before_handshake);
        return;
    }
    if (l->accept_queue.size() > static_cast<std::size_t>(l->backlog)) {
        // tcp_abort_on_overflow = 0: the final ACK is dropped; the child stays half-open and
        // retransmits SYN-ACK, while the client believes it is connected.
        sim_.record(trace_source_, "tcp.ack_dropped",
                    {{"listener", std::int64_t{l->id.value}}, {"reason", std::string("accept queue full")}});
        return;
    }
    cancel_timer(child);
    set_state(child, TcpState::established, TcpReason::handshake_completed);
    l->accept_queue.push_back(child.id);
    child.in_accept_queue = true;
    // A child that inherited SEND_SHUTDOWN sends its FIN as soon as it is established.
    if (child.snd_shutdown) start_active_close(child);
    notify(*l, SocketEvent::acceptable);
}

void Kernel::on_segment(Socket& s, const net::Segment& seg) {
    if (seg.has(net::flag_rst)) {
        on_reset(s);
        return;
    }
    const bool syn = seg.has(net::flag_syn);
    const bool ack = seg.has(net::flag_ack);
    switch (s.state) {
        case TcpState::syn_sent:
            if (syn && ack) {
                // SYN_SENT + SYN-ACK -> ESTABLISHED, ACK it (RFC 9293 §3.10.7.3).
                set_state(s, TcpState::established, TcpReason::syn_ack_received);
                send_flags(s, net::flag_ack);
                finish_connect(s);
            } else if (syn) {
                // Simultaneous open (and self-connect): SYN_SENT + SYN -> SYN_RECV, send SYN-ACK.
                set_state(s, TcpState::syn_recv, TcpReason::simultaneous_open);
                send_flags(s, net::flag_syn | net::flag_ack);
            } else if (ack) {
                // An ACK that acknowledges nothing we sent: answer with RST, keep waiting.
                send_reset_for(seg);
            }
            return;
        case TcpState::syn_recv:
            if (syn && !ack) {
                send_flags(s, net::flag_syn | net::flag_ack);  // retransmitted SYN
                return;
            }
            if (!ack) return;
            if (s.listener) {
                // Passive open: the final ACK (possibly carrying data) completes the handshake.
                complete_child(s);
                if (s.state == TcpState::established && seg.payload_bytes > 0) on_data(s, seg);
                if (s.state == TcpState::established && seg.has(net::flag_fin)) on_fin(s);
            } else {
                // Simultaneous open: the peer's SYN-ACK (or ACK) completes it.
                set_state(s, TcpState::established, TcpReason::simultaneous_open_completed);
                if (syn) send_flags(s, net::flag_ack);
                if (s.snd_shutdown) {
                    // tcp_rcv_state_process (SYN_RECV): a socket shut down for writing before it
                    // was established sends its FIN now; connect() then finds it closing.
                    start_active_close(s);
                    return;
                }
                finish_connect(s);
            }
            return;
        case TcpState::listen:
        case TcpState::closed:
            return;
        default:
            break;
    }
    // Synchronized states.
    if (syn) {
        // A retransmitted SYN-ACK (our ACK was dropped by a full accept queue): ACK it again.
        if (ack) send_flags(s, net::flag_ack);
        return;
    }
    // Any segment whose ACK covers our FIN (a bare ACK, data, or the peer's own FIN):
    // FIN_WAIT1 -> FIN_WAIT2 before the rest of it is read.
    if (s.state == TcpState::fin_wait1 && ack && seg.acks_peer_fin) on_fin_acknowledged(s);
    if (seg.payload_bytes > 0) {
        on_data(s, seg);
        if (s.state == TcpState::closed) return;
    }
    if (seg.has(net::flag_fin)) {
        on_fin(s);
        return;
    }
    if (seg.payload_bytes > 0 || !ack || !seg.acks_peer_fin) return;
    switch (s.state) {
        case TcpState::closing:
            // Simultaneous close: the ACK of our FIN -> TIME_WAIT.
            enter_time_wait(s);
            break;
        case TcpState::last_ack:
            // Passive close complete: LAST_ACK -> CLOSED, no TIME_WAIT on this side.
            to_closed(s, TcpReason::passive_close_done);
            break;
        default:
            break;
    }
}

void Kernel::on_fin_acknowledged(Socket& s) {
    // Our FIN is acknowledged: FIN_WAIT1 -> FIN_WAIT2. An orphan waits tcp_fin_timeout.
    set_state(s, TcpState::fin_wait2, TcpReason::fin_acknowledged);
    if (!s.has_fd) arm_timer(s, sysctls_.tcp_fin_timeout);
}

void Kernel::on_data(Socket& s, const net::Segment& seg) {
    switch (s.state) {
        case TcpState::established:
            queue_received(s, seg);
            return;
        case TcpState::fin_wait1:
        case TcpState::fin_wait2:
            if (s.rcv_shutdown) {
                // RFC 1122 §4.2.2.13 / Linux "abort on data": new data after the receiving side
                // was closed resets the connection.
                sim_.record(trace_source_, "tcp.abort_on_data", {{"sock", std::int64_t{s.id.value}}});
                if (s.has_fd) s.pending_error = Errno::econnreset;
                abort_with_reset(s, TcpReason::data_after_close);
                return;
            }
            queue_received(s, seg);
            return;
        default:
            return;  // data after the peer's FIN cannot arrive in order; ignore
    }
}

void Kernel::queue_received(Socket& s, const net::Segment& seg) {
    s.received_unread += seg.payload_bytes;
    s.received_data = true;
    s.receive_queue.emplace_back(seg.payload_bytes, seg.message);
    notify(s, SocketEvent::readable);
}

void Kernel::on_fin(Socket& s) {
    s.fin_received = true;
    switch (s.state) {
        case TcpState::established:
            // ESTABLISHED + FIN -> CLOSE_WAIT; reads see end of stream. The ACK is delayed
            // (Sysctls::tcp_delack_*), or rides on the next segment this side sends.
            set_state(s, TcpState::close_wait, TcpReason::fin_received);
            s.ack_owed = true;
            arm_timer(s, s.received_data ? sysctls_.tcp_delack_after_data : sysctls_.tcp_delack_before_data);
            notify(s, SocketEvent::peer_closed);
            break;
        case TcpState::fin_wait1:
            // Both sides sent FIN before seeing the other's: FIN_WAIT1 + FIN -> CLOSING.
            set_state(s, TcpState::closing, TcpReason::simultaneous_close);
            send_flags(s, net::flag_ack);
            break;
        case TcpState::fin_wait2:
            // FIN_WAIT2 + FIN -> TIME_WAIT: the active closer holds the 4-tuple for 2 MSL.
            send_flags(s, net::flag_ack);
            enter_time_wait(s);
            break;
        default:
            break;  // a retransmitted FIN
    }
}

void Kernel::on_reset(Socket& s) {
    switch (s.state) {
        case TcpState::syn_sent:
            fail_connect(s, Errno::econnrefused);
            return;
        case TcpState::syn_recv:
            if (s.connect_in_progress) fail_connect(s, Errno::econnreset);
            else to_closed(s, TcpReason::reset_during_handshake);
            return;
        case TcpState::time_wait:
            to_closed(s, TcpReason::reset_in_time_wait);
            return;
        case TcpState::closed:
        case TcpState::listen:
            return;
        default: {
            // tcp_reset: CLOSE_WAIT reports EPIPE, every other state ECONNRESET.
            const Errno error = s.state == TcpState::close_wait ? Errno::epipe : Errno::econnreset;
            if (s.has_fd || s.in_accept_queue) s.pending_error = error;
            to_closed(s, TcpReason::reset_received);
            notify(s, SocketEvent::reset, error);
            return;
        }
    }
}

}  // namespace netsim::kernel
