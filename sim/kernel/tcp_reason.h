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

// The reason's text ("FIN sent", "SYN to listener", ...).
std::string_view reason_text(TcpReason reason);
inline TraceLabel reason_label(TcpReason reason) { return TraceLabel{static_cast<std::uint32_t>(reason), reason_text(reason)}; }

}  // namespace netsim::kernel
