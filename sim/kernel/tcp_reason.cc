// The texts of the TCP state-change reasons.
#include "sim/kernel/tcp_reason.h"

namespace netsim::kernel {

std::string_view reason_text(TcpReason reason) {
    switch (reason) {
        case TcpReason::listen: return "listen";
        case TcpReason::connect: return "connect";
        case TcpReason::syn_to_listener: return "SYN to listener";
        case TcpReason::syn_ack_received: return "SYN-ACK received";
        case TcpReason::handshake_completed: return "handshake completed";
        case TcpReason::simultaneous_open: return "simultaneous open";
        case TcpReason::simultaneous_open_completed: return "simultaneous open completed";
        case TcpReason::fin_sent: return "FIN sent";
        case TcpReason::fin_received: return "FIN received";
        case TcpReason::fin_acknowledged: return "FIN acknowledged";
        case TcpReason::passive_close_done: return "FIN acknowledged (passive close done)";
        case TcpReason::simultaneous_close: return "simultaneous close";
        case TcpReason::active_close_finished: return "active close finished";
        case TcpReason::time_wait_expired: return "TIME_WAIT expired";
        case TcpReason::moved_to_time_wait_socket: return "connection moved to a TIME_WAIT socket";
        case TcpReason::time_wait_taken_by_connect: return "TIME_WAIT taken over by connect";
        case TcpReason::new_syn_for_time_wait: return "new SYN for a TIME_WAIT 4-tuple";
        case TcpReason::orphan_fin_wait2_timeout: return "orphaned FIN_WAIT2 timed out (tcp_fin_timeout)";
        case TcpReason::syn_ack_retries_exhausted: return "SYN-ACK retransmissions exhausted";
        case TcpReason::connect_failed: return "connect failed";
        case TcpReason::close_during_connect: return "close during connect";
        case TcpReason::shutdown_during_connect: return "shutdown during connect";
        case TcpReason::close_with_unread_data: return "close with unread data";
        case TcpReason::close_with_linger_zero: return "close with linger 0";
        case TcpReason::data_after_close: return "data after close";
        case TcpReason::listener_closed: return "listener closed";
        case TcpReason::listener_closed_before_accept: return "listener closed before accept";
        case TcpReason::listener_gone_before_handshake: return "listener gone before the handshake completed";
        case TcpReason::reset_during_handshake: return "reset during handshake";
        case TcpReason::reset_in_time_wait: return "reset in TIME_WAIT (tcp_rfc1337 = 0)";
        case TcpReason::reset_received: return "reset received";
    }
    return "?";
}

}  // namespace netsim::kernel
