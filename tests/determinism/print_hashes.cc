// Prints "<seed> <trace-hash>" for seeds 0..N-1 of the synthetic workload (with and without
// tie-shuffling). `tools/dev test` builds this at -O0 and at -O2 and requires identical output.
#include "sim/core/trace.h"
#include "tests/determinism/synthetic_workload.h"

#include <fmt/core.h>

#include <cstdlib>
#include <string>

int main(int argc, char** argv) {
    std::uint64_t seeds = 200;
    if (argc == 2) seeds = std::strtoull(argv[1], nullptr, 10);
    if (argc > 2 || seeds == 0) {
        fmt::print(stderr, "usage: print_hashes [SEEDS]\n");
        return 2;
    }
    for (std::uint64_t seed = 0; seed < seeds; ++seed) {
        netsim::testing::SyntheticWorkload plain;
        netsim::testing::SyntheticWorkload shuffled;
        shuffled.shuffle_ties = true;
        fmt::print("{} {} {}\n", seed,
                   netsim::format_trace_hash(netsim::testing::run_synthetic_workload(seed, plain)),
                   netsim::format_trace_hash(netsim::testing::run_synthetic_workload(seed, shuffled)));
    }
    return 0;
}
