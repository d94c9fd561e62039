// Prints "<seed> <hash> <hash> <hash>" for seeds 0..N-1: the synthetic core workload without and
// with tie-shuffling, and the kernel workload (first 50 seeds). `tools/dev test` builds this at -O0 and at -O2 and requires identical output.
#include "sim/core/trace.h"
#include "tests/determinism/kernel_workload.h"
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
        const std::uint64_t kernel_hash = seed < 50 ? netsim::testing::run_kernel_workload(seed).trace_hash : 0;
        fmt::print("{} {} {} {}\n", seed,
                   netsim::format_trace_hash(netsim::testing::run_synthetic_workload(seed, plain)),
                   netsim::format_trace_hash(netsim::testing::run_synthetic_workload(seed, shuffled)),
                   netsim::format_trace_hash(kernel_hash));
    }
    return 0;
}
