// A randomized multi-host workload over the kernel model, for the determinism contract: a
// server process that crashes and restarts on the same port (usually with SO_REUSEADDR, retrying
// its bind),
// clients that connect, send, close and reconnect at random times, over links with latency,
// jitter and loss. Its trace hash must be a pure function of the seed, at any optimisation level.
#pragma once

#include <cstdint>

namespace netsim::testing {

struct KernelWorkloadResult {
    std::uint64_t trace_hash = 0;
    std::uint64_t connections = 0;     // connects that succeeded
    std::uint64_t failed_connects = 0;
    std::uint64_t failed_binds = 0;    // server restarts that met EADDRINUSE
};

KernelWorkloadResult run_kernel_workload(std::uint64_t seed);

}  // namespace netsim::testing
