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

int linux_state_number(TcpState s) {
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

}  // namespace netsim::kernel
