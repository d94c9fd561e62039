#include "sim/kernel/tcp_state.h"

namespace netsim::kernel {

std::string_view state_name(TcpState s) {
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

}  // namespace netsim::kernel
