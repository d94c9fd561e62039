// What a run shows the oracles: each channel's state changes and finished RPCs, each step's
// run instant and outcome, and the first record of every kind an expectation forbids. The
// runner fills it while the simulation runs; expectations and invariants are judged from it
// and from the world's final state, never from the trace text.
#pragma once

#include "policies/connectivity_state.h"
#include "policies/rpc.h"
#include "scenarios/model.h"
#include "sim/core/trace.h"
#include "sim/kernel/errno.h"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace netsim::scenarios {

// The channel state a scenario's state name stands for.
constexpr policies::ConnectivityState to_connectivity_state(ConnectivityStateName name) {
    switch (name) {
        case ConnectivityStateName::idle: return policies::ConnectivityState::idle;
        case ConnectivityStateName::connecting: return policies::ConnectivityState::connecting;
        case ConnectivityStateName::ready: return policies::ConnectivityState::ready;
        case ConnectivityStateName::transient_failure: return policies::ConnectivityState::transient_failure;
        case ConnectivityStateName::shutdown: return policies::ConnectivityState::shutdown;
    }
    return policies::ConnectivityState::idle;
}

struct StateChange {
    Instant at;
    policies::ConnectivityState state;
};

struct ChannelObservations {
    std::vector<StateChange> states;              // every change, in order (not the initial IDLE)
    std::vector<policies::RpcResult> rpcs;        // finished RPCs, in finishing order
    std::uint64_t rpcs_started = 0;
};

struct StepOutcome {
    bool ran = false;
    Instant at;
    std::optional<kernel::Errno> result;  // none until known (a wait_release restart retries)
    std::string holders;                  // a failed bind: who held the port when it failed
};

struct Observations {
    std::map<std::string, ChannelObservations> channels;
    std::map<std::string, StepOutcome> steps;
    std::map<std::string, TraceRecord> forbidden_seen;  // kind -> its first record
};

}  // namespace netsim::scenarios
