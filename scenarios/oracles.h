// The verdict of a run: each expectation of the scenario judged from the observations, and the
// invariants that hold in every scenario: every RPC ends with a status; every RPC is answered by
// one of the channel's intended backends (a process that merely took the port is a wrong
// server); a stopped server holds no descriptor but a restartable listener. A violation names
// the virtual instant, what was expected, what happened, and a short signature that groups
// runs failing the same way.
#pragma once

#include "scenarios/observations.h"
#include "scenarios/run_world.h"

#include <string>
#include <vector>

namespace netsim::scenarios {

struct Violation {
    Instant at;
    std::string expectation;  // as written in the scenario, or the invariant's name
    std::string what;         // what happened instead
    std::string signature;    // "expect restart_a succeeds: EADDRINUSE"
    SourceLocation where;     // the expectation's line; empty for an invariant
    std::vector<std::string> detail;  // e.g. who held the port
};

// Judges every expectation and invariant at the end of a run. `only_decided`: a run cut short
// at its first failure judges only the expectations already decided (the others are unknown).
std::vector<Violation> judge(RunWorld& world, const Observations& observations, bool only_decided = false);

// True once no later event can change any expectation's verdict, so the run may end now: a
// step's outcome is known; a state sequence is past its `within` horizon or already wrong; a
// state or an answer was seen or its `within` window has passed; a ratio is past `until` with
// no RPC in flight; a forbidden record was seen. Without a horizon, an expectation waits for
// the scenario's end.
bool every_expectation_decided(RunWorld& world, const Observations& observations);
// True once some expectation is decided and violated, or an RPC was answered by a wrong server:
// the run has failed, whatever follows.
bool run_has_failed(RunWorld& world, const Observations& observations);

}  // namespace netsim::scenarios
