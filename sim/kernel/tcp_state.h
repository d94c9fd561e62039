// TCP connection states, named as Linux (include/net/tcp_states.h) and RFC 9293 §3.3.2 name them.
#pragma once

#include "sim/core/trace.h"

#include <fmt/format.h>

#include <string_view>

namespace netsim::kernel {

enum class TcpState {
    closed,
    listen,
    syn_sent,
    syn_recv,
    established,
    fin_wait1,
    fin_wait2,
    close_wait,
    closing,
    last_ack,
    time_wait,
};

// "ESTABLISHED", "TIME_WAIT", ... (inline, as the other trace label texts: see errno_name).
constexpr std::string_view state_name(TcpState s) {
    switch (s) {
        case TcpState::closed: return "CLOSED";
        case TcpState::listen: return "LISTEN";
        case TcpState::syn_sent: return "SYN_SENT";
        case TcpState::syn_recv: return "SYN_RECV";
        case TcpState::established: return "ESTABLISHED";
        case TcpState::fin_wait1: return "FIN_WAIT1";
        case TcpState::fin_wait2: return "FIN_WAIT2";
        case TcpState::close_wait: return "CLOSE_WAIT";
        case TcpState::closing: return "CLOSING";
        case TcpState::last_ack: return "LAST_ACK";
        case TcpState::time_wait: return "TIME_WAIT";
    }
    return "?";
}
// The state's number in Linux's include/net/tcp_states.h (TCP_ESTABLISHED = 1 ... TCP_CLOSING =
// 11; closed is TCP_CLOSE, 7), as getsockopt(TCP_INFO) reports it in tcpi_state.
constexpr int linux_state_number(TcpState s) {
    switch (s) {
        case TcpState::established: return 1;
        case TcpState::syn_sent: return 2;
        case TcpState::syn_recv: return 3;
        case TcpState::fin_wait1: return 4;
        case TcpState::fin_wait2: return 5;
        case TcpState::time_wait: return 6;
        case TcpState::closed: return 7;
        case TcpState::close_wait: return 8;
        case TcpState::last_ack: return 9;
        case TcpState::listen: return 10;
        case TcpState::closing: return 11;
    }
    return 0;
}
// The state as a trace label, hashed by its Linux number.
inline TraceLabel state_label(TcpState s) { return TraceLabel{static_cast<std::uint32_t>(linux_state_number(s)), state_name(s)}; }

}  // namespace netsim::kernel

template <>
struct fmt::formatter<netsim::kernel::TcpState> : fmt::formatter<std::string_view> {
    auto format(netsim::kernel::TcpState s, format_context& ctx) const {
        return fmt::formatter<std::string_view>::format(netsim::kernel::state_name(s), ctx);
    }
};
