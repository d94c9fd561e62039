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

std::string_view state_name(TcpState s);  // "ESTABLISHED", "TIME_WAIT", ...
// The state's number in Linux's include/net/tcp_states.h (TCP_ESTABLISHED = 1 ... TCP_CLOSING =
// 11; closed is TCP_CLOSE, 7), as getsockopt(TCP_INFO) reports it in tcpi_state.
int linux_state_number(TcpState s);
// The state as a trace label, hashed by its Linux number.
inline TraceLabel state_label(TcpState s) { return TraceLabel{static_cast<std::uint32_t>(linux_state_number(s)), state_name(s)}; }

}  // namespace netsim::kernel

template <>
struct fmt::formatter<netsim::kernel::TcpState> : fmt::formatter<std::string_view> {
    auto format(netsim::kernel::TcpState s, format_context& ctx) const {
        return fmt::formatter<std::string_view>::format(netsim::kernel::state_name(s), ctx);
    }
};
