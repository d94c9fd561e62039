// A sweep of one run function over consecutive seeds: the fuzzer's loop, knowing nothing of
// what a run is. Failures are grouped by their signature (what failed and how, e.g. which
// expectation and which errno), each group keeping its count and first seed, in the order
// groups were first seen, so that the report is the same for the same seeds. The caller
// decides when to stop (a run count, a wall-clock budget, the first failure).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace netsim::explore {

// What the sweep needs to know of one run.
struct RunVerdict {
    bool failed = false;
    std::string signature;      // groups failures that fail the same way
};

struct FailureGroup {
    std::string signature;
    std::uint64_t count = 0;
    std::uint64_t first_seed = 0;
};

struct SweepReport {
    std::uint64_t runs = 0;
    std::uint64_t failures = 0;
    std::vector<FailureGroup> groups;  // by first appearance
};

struct SweepOptions {
    std::uint64_t seed_start = 0;
    std::uint64_t max_runs = UINT64_MAX;
    bool stop_on_first_failure = false;
};

// Runs `run(seed)` for seed_start, seed_start + 1, ... until max_runs, the first failure (if
// asked), or `keep_going(runs_so_far)` returns false (checked before every run). `on_failure`
// hears each failing run as it happens (for live reports); it may be empty.
SweepReport sweep_seeds(const std::function<RunVerdict(std::uint64_t seed)>& run, const SweepOptions& options,
                        const std::function<bool(std::uint64_t runs)>& keep_going,
                        const std::function<void(std::uint64_t seed, const RunVerdict&)>& on_failure = {});

}  // namespace netsim::explore
