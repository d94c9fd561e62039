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

// What one step met: the operation's keyword ("bind", "recv", ...) and the condition of the
// socket it names just before it ran: its TCP state by Linux name; for a CLOSE socket, what left
// it so ("CLOSE/fresh", "CLOSE/bound", "CLOSE/refused", "CLOSE/reset", "CLOSE/timed_out",
// "CLOSE/connect_failed", "CLOSE/shut_unconnected", "CLOSE/bind_failed", "CLOSE/listen_failed",
// "CLOSE/ended": it was connected and the connection is over); "no_socket" for a name whose
// socket is closed; "new_name" for a socket line introducing a name; "host" for sysctl, sleep
// and table. The generator's coverage is the set of these pairs over its scripts.
struct StepCondition {
    std::string operation;
    std::string condition;
    auto operator<=>(const StepCondition&) const = default;
};

struct ScriptRun {
    std::vector<std::string> lines;  // "3 ok", "5 EADDRINUSE", "9 ok 40000", "12 eof"
    std::vector<StepCondition> conditions;  // one per step
    std::uint64_t trace_hash = 0;
    std::vector<std::string> trace;  // the run's records as text, one per line
};

ScriptRun run_script_on_model(const SyscallScript& script, std::uint64_t seed = 0);

}  // namespace netsim::kernel
