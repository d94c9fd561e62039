// A synthetic, self-rescheduling random workload over the simulation core, used to check the
// determinism contract: its trace hash is a pure function of (seed, parameters). Actors wake at
// random delays, record trace events, schedule and cancel timers, and sometimes wake together at
// the same instant, so both the PRNG streams and the same-time ordering reach the hash.
#pragma once

#include <cstdint>

namespace netsim::testing {

struct SyntheticWorkload {
    int actors = 16;
    std::uint64_t events = 5'000;
    bool shuffle_ties = false;
};

// Runs the workload for `seed` and returns the run's trace hash.
std::uint64_t run_synthetic_workload(std::uint64_t seed, const SyntheticWorkload& workload);

}  // namespace netsim::testing
