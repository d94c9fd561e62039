// Runs a scenario for one seed: builds its world, runs the timeline to the scenario's end, and
// judges expectations and invariants. A run is a pure function of (scenario, seed): the same
// inputs give the same trace hash and the same verdict. Keeping the trace's records (for reports
// and writers) is optional, and so is the hash (a fuzzer's passing seeds need only a verdict):
// neither changes what the run does.
#pragma once

#include "scenarios/model.h"
#include "scenarios/oracles.h"
#include "sim/core/simulation.h"

#include <cstdint>
#include <vector>

namespace netsim::scenarios {

struct RunOptions {
    bool keep_records = false;       // keep every trace record (for -v and violation excerpts)
    TraceSink* sink = nullptr;       // sees every record as it is written (trace writers)
    // End the run at its first decided violation (the fuzzer needs the verdict and the first
    // violation, not the rest); `netsim run` leaves it off to report everything.
    bool stop_at_first_failure = false;
    // Hash the trace (RunReport::trace_hash, ::records). The fuzzer turns it off: a passing
    // seed's hash is never read, and hashing is about a sixth of a run's work; it runs a
    // failing seed again, hashed, for the replay's hash.
    bool hash_trace = true;
};

struct RunReport {
    std::uint64_t seed = 0;
    bool holds = true;
    std::vector<Violation> violations;
    std::uint64_t trace_hash = 0;           // 0 without hash_trace
    std::uint64_t events = 0;
    std::uint64_t records = 0;              // 0 without hash_trace
    RunOutcome outcome = RunOutcome::idle;  // a limit here means the run was cut short
    Instant ended;
    std::vector<TraceRecord> trace;         // when keep_records
    // One line naming the first violation's kind, for grouping fuzz failures.
    std::string signature() const;
};

RunReport run_scenario(const Scenario& scenario, std::uint64_t seed, const RunOptions& options = {});

}  // namespace netsim::scenarios
