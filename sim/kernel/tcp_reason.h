// Why a TCP socket changed state, as the `why` of its `tcp.state` record. An enum, so that a
// trace hashes the reason's number: rewording a reason's text changes no trace hash. Codes are
// the enumerators' positions; new reasons go at the end.
#pragma once

#include "sim/core/trace.h"

#include <cstdint>
#include <string_view>

namespace netsim::kernel {

enum class TcpReason : std::uint32_t {
    listen,
    connect,
    syn_to_listener,
    syn_ack_received,
    handshake_completed,
    simultaneous_open,
    simultaneous_open_completed,
    fin_sent,
    fin_received,
    fin_acknowledged,
    passive_close_done,
    simultaneous_close,
    active_close_finished,
    time_wait_expired,
    moved_to_time_wait_socket,
    time_wait_taken_by_connect,
    new_syn_for_time_wait,
    orphan_fin_wait2_timeout,
    syn_ack_retries_exhausted,
    connect_failed,
    close_during_connect,
    shutdown_during_connect,
    close_with_unread_data,
    close_with_linger_zero,
    data_after_close,
    listener_closed,
    listener_closed_before_accept,
    listener_gone_before_handshake,
    reset_during_handshake,
    reset_in_time_wait,
    reset_received,
};

// The reason's text ("FIN sent", "SYN to listener", ...); inline, as errno_name.
constexpr std::string_view reason_text(TcpReason reason) {
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
inline TraceLabel reason_label(TcpReason reason) { return TraceLabel{static_cast<std::uint32_t>(reason), reason_text(reason)}; }

}  // namespace netsim::kernel
