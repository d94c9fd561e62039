// Runs a socket-operation script (format: tests/conformance/README.md) against the kernel model: one
// simulated host, a fresh Simulation seeded with `seed`, one outcome line per operation in the
// exact format real Linux gives in tests/conformance (so the two outputs can be diffed).
// Between operations the simulation runs until nothing more is due at the current instant;
// a blocking connect runs until the handshake ends (SYN retries advance virtual time);
// `sleep` advances virtual time.
#pragma once

#include "sim/kernel/script/syscall_script.h"

#include <cstdint>
#include <string>
#include <vector>

namespace netsim::kernel {

struct ScriptRun {
    std::vector<std::string> lines;  // "3 ok", "5 EADDRINUSE", "9 ok 40000", "12 eof"
    std::uint64_t trace_hash = 0;
    std::vector<std::string> trace;  // the run's records as text, one per line
};

ScriptRun run_script_on_model(const SyscallScript& script, std::uint64_t seed = 0);

}  // namespace netsim::kernel
