// A seeded generator of socket-operation scripts (format: tests/conformance/README.md) whose outcome on
// real Linux is deterministic, so that real Linux and the kernel model can be compared on them
// live, without recorded outputs. A script depends only on (seed, index).
//
// What every script does, and why (each ends with `table`, so the socket tables are compared
// too, and `state` lines read TCP states along the way):
// - `sysctl ip_local_port_range E E` with one port E (40000, or one of the explicit ports 5000
//   and 5001 to provoke the ephemeral-port steal): Linux's pick from a wider range is not
//   predictable. `port` may then be printed for any socket.
// - `sysctl tcp_tw_reuse 0`: with reuse on, whether a connect may reuse a TIME_WAIT depends on
//   its age against tcp_tw_reuse_delay (1 s), and a script's wall-clock time is not
//   predictable (scripts that take 50 ms alone took 1 to 1.5 s with 200 of them running at once).
//
// Constructs it avoids because their outcome is not predictable:
// - sleeps of 1 s or more (timers: TIME_WAIT and FIN_WAIT2 60 s, SYN retransmission 1 s,
//   tcp_tw_reuse_delay 1 s); at most one short sleep (<= 100 ms) per script, besides the
//   settling sleeps below;
// - reading a state within a tick or two of the peer's delayed ACK of a FIN (one 4 ms tick
//   when the peer has received no data, 40 ms when it has): every operation that may send a
//   FIN (shutdown wr or rdwr, close, a connect after such a shutdown) is followed by
//   `sleep 50ms`;
// - a full accept queue (the blocking connect would wait for SYN retransmissions and time out
//   after minutes): every listen has backlog 16 and a script makes at most 12 connects;
// - connects to a port where two SO_REUSEPORT sockets may both listen: the kernel picks the
//   listener by a hash of the 4-tuple with a per-boot secret;
// - sends big enough to fill buffers (how much a non-blocking send takes then depends on
//   buffer auto-tuning): sends are at most 1000 bytes, at most 8 per script;
// - on an IPv6 socket that has tried a connect to an IPv4-mapped address, a connect to a native
//   IPv6 address: after the mapped connect is refused, the socket keeps its IPv4-mapped
//   operations and the native connect's SYN goes unanswered until ETIMEDOUT (about 131 s);
//   scripts/v6_socket_connecting_natively_after_refused_mapped_connect_times_out.txt shows it;
// - addresses other than loopback and wildcards (the runner's namespace has only `lo`).
#pragma once

#include <cstdint>
#include <string>

namespace netsim::conformance {

// The text of generated script number `index` for `seed`, with a leading comment that names both.
std::string generate_script(std::uint64_t seed, int index);

}  // namespace netsim::conformance
