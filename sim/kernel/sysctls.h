// The per-host kernel settings the model follows, with Linux 6.x defaults. Names follow
// /proc/sys/net/ipv4; `time_wait` is TCP_TIMEWAIT_LEN, fixed at 60 s in Linux and a per-host
// setting here.
#pragma once

#include "sim/core/time.h"
#include "sim/net/ip_address.h"

#include <set>

namespace netsim::kernel {

struct Sysctls {
    net::Port ip_local_port_range_low = 32768;   // net.ipv4.ip_local_port_range
    net::Port ip_local_port_range_high = 60999;
    std::set<net::Port> ip_local_reserved_ports;  // net.ipv4.ip_local_reserved_ports
    int tcp_tw_reuse = 2;                         // 0 off, 1 on, 2 loopback only
    Duration tcp_tw_reuse_delay = Duration::milliseconds(1000);
    Duration time_wait = Duration::seconds(60);   // TCP_TIMEWAIT_LEN (include/net/tcp.h)
    Duration tcp_fin_timeout = Duration::seconds(60);
    int tcp_syn_retries = 6;
    int tcp_syn_linear_timeouts = 4;  // the first retransmissions of a SYN wait tcp_initial_rto each
    int tcp_synack_retries = 5;
    Duration tcp_initial_rto = Duration::seconds(1);  // TCP_TIMEOUT_INIT, SYN and SYN-ACK retransmits
    int somaxconn = 4096;                             // net.core.somaxconn
    // The delayed ACK of a FIN that moves a connection to CLOSE_WAIT (tcp_fin enters pingpong
    // mode, so __tcp_ack_snd_check delays it): TCP_ATO_MIN (HZ/25) once the socket has received
    // data, else the next tick, the ACK timeout still being 0. Measured on Linux 6.18 (HZ=250)
    // in tests/conformance/scripts/fin_is_acknowledged_late_*.txt.
    Duration tcp_delack_after_data = Duration::milliseconds(40);
    Duration tcp_delack_before_data = Duration::milliseconds(4);
};

}  // namespace netsim::kernel
