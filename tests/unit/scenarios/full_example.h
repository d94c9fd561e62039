// The full example scenario that the parser and builder tests share (every statement of the
// language at least once); builder_test.cc builds the same scenario in C++.
#pragma once

#include <string_view>

namespace netsim::scenarios::testing {

inline constexpr std::string_view full_example = R"scn(scenario pick_first_restart
description "grpc-go TestPickFirstLeaf_StopConnectedServer_SecondServerToFirst (#7868)"

param listener = reuseaddr          # declares a parameter with a default
param restart_delay = 1ms
param port_range = 32768-60999

host machine
host h1 10.0.0.1
host h2 10.0.0.2 fd00::2
sysctl machine ip_local_port_range = $port_range
sysctl machine tcp_tw_reuse=1
sysctl h1 time_wait = 60s
sysctl h1 tcp_fin_timeout = 30s
link h1 h2 latency=5ms jitter=1ms loss=1%

server a on machine at 127.0.0.1:0 listener=$listener service_time=1ms..3ms backlog=128 started
server b on machine at [::1]:50051 listener=plain
server w on machine at 127.0.0.1:0 listener=wait_release retry=10ms timeout=5s
noise tests listeners on machine processes=8 rate=400/s hold=50ms reuseaddr reuseport at=127.0.0.1
noise clients connects on machine rate=100/s hold=100ms target=b
noise raw connects on machine rate=1/100ms target=127.0.0.1:5000
noise squatter holders on machine port=5000 hold=2s rate=1/s
channel client on machine policy=pick_first target=a,b shuffle_address_list=true
rpcs client rate=20/s from=0s until=10s deadline=1s wait_for_ready

at 10ms as stop_a: stop a
at 1s..3s as jiggle: crash b
after stop_a + $restart_delay as restart_a: restart a
after restart_a + 0ms..5ms: rpc client count=3 deadline=5s wait_for_ready
when client is READY as on_ready: stop b
at 2s as shuffle: in any order
  stop a
  start b
at 3s: partition h1 h2
at 4s: heal h1 h2
at 5s: resolve client b,a
at 5s: resolve client
at 6s: resolver_error client
at 7s: connect client
at 8s: graceful_stop a
at 8s: pause w
at 9s: resume w
after on_ready: start w

expect restart_a succeeds
expect restart_a fails with EADDRINUSE
expect jiggle fails
expect client states CONNECTING, READY, IDLE, CONNECTING, READY
expect client states match "CONNECTING READY (IDLE CONNECTING READY)*"
expect client is READY within 5s after restart_a
expect client is IDLE within 1s
expect client rpcs ok >= 99% from=1s until=5s
expect client rpcs ok >= 50%
expect a receives rpcs within 5s after restart_a
expect a receives rpcs
expect b never receives rpcs after stop_a
expect w never receives rpcs
expect no record bind.failed
end at 10s
)scn";

}  // namespace netsim::scenarios::testing
