// Prints "<seed> <hash> ..." for seeds 0..N-1: the synthetic core workload without and with
// tie-shuffling, the kernel workload (first 50 seeds), and every catalogue scenario
// (scenarios/*.scn with their default parameters, plus pick_first_restart under each listener
// strategy on a narrowed port range, where the race is frequent). The two restart scenarios run
// every seed; the rest of the catalogue (longer runs: thousands of RPCs over seconds) the first
// 20, so the -O0 sanitizer build stays within CI's time. `tools/dev test` builds this at -O0
// and at -O2 and requires identical output.
#include "scenarios/parser.h"
#include "scenarios/runner.h"
#include "sim/core/trace.h"
#include "tests/determinism/kernel_workload.h"
#include "tests/determinism/synthetic_workload.h"

#include <fmt/core.h>

#include <cstdlib>
#include <limits>
#include <string>
#include <vector>

namespace {

struct CatalogueRun {
    netsim::scenarios::Scenario scenario;
    std::uint64_t seeds;  // hashed for seeds below this
};

constexpr std::uint64_t long_run_seeds = 20;

std::vector<CatalogueRun> catalogue() {
    using netsim::scenarios::ParamOverrides;
    const std::string dir = std::string(NETSIM_SOURCE_DIR) + "/scenarios/";
    std::vector<std::pair<std::string, ParamOverrides>> runs{{"pick_first_restart", {}},
                                                             {"pick_first_restart_connected", {}},
                                                             {"round_robin_rolling_restart", {}},
                                                             {"sticky_transient_failure", {}},
                                                             {"least_request_slow_backend", {}},
                                                             {"ring_hash_backend_crash", {}},
                                                             {"weighted_round_robin_load_shift", {}},
                                                             {"pick_first_leaf_happy_eyeballs", {}},
                                                             {"partition_and_heal", {}},
                                                             {"random_port_restart_resolver_update", {}},
                                                             {"client_ephemeral_exhaustion", {}},
                                                             {"backlog_overflow_syn_retries", {}},
                                                             {"self_connect", {}}};
    for (const char* listener : {"plain", "reuseaddr", "restartable", "reuseport", "wait_release", "random_port"})
        runs.push_back({"pick_first_restart", {{"listener", listener}, {"port_range", "40000-40199"}}});
    std::vector<CatalogueRun> out;
    for (const auto& [name, sets] : runs) {
        auto parsed = netsim::scenarios::parse_scenario_file(dir + name + ".scn", sets);
        if (auto* e = std::get_if<netsim::scenarios::ParseError>(&parsed)) {
            fmt::print(stderr, "{}\n", e->to_string());
            std::exit(2);
        }
        const bool restart = name.starts_with("pick_first_restart");
        out.push_back({std::get<netsim::scenarios::Scenario>(std::move(parsed)),
                       restart ? std::numeric_limits<std::uint64_t>::max() : long_run_seeds});
    }
    return out;
}

}  // namespace

int main(int argc, char** argv) {
    std::uint64_t seeds = 200;
    if (argc == 2) seeds = std::strtoull(argv[1], nullptr, 10);
    if (argc > 2 || seeds == 0) {
        fmt::print(stderr, "usage: print_hashes [SEEDS]\n");
        return 2;
    }
    const auto scenarios = catalogue();
    for (std::uint64_t seed = 0; seed < seeds; ++seed) {
        netsim::testing::SyntheticWorkload plain;
        netsim::testing::SyntheticWorkload shuffled;
        shuffled.shuffle_ties = true;
        const std::uint64_t kernel_hash = seed < 50 ? netsim::testing::run_kernel_workload(seed).trace_hash : 0;
        fmt::print("{} {} {} {}", seed,
                   netsim::format_trace_hash(netsim::testing::run_synthetic_workload(seed, plain)),
                   netsim::format_trace_hash(netsim::testing::run_synthetic_workload(seed, shuffled)),
                   netsim::format_trace_hash(kernel_hash));
        // As the fuzzer runs them (each run ends at its first decided violation), but hashed:
        // the fuzzer's unhashed runs do the same (tests/unit/scenarios/runner_test.cc).
        netsim::scenarios::RunOptions as_fuzzed;
        as_fuzzed.stop_at_first_failure = true;
        for (const auto& [s, hashed_seeds] : scenarios) {
            if (seed >= hashed_seeds) continue;
            fmt::print(" {}", netsim::format_trace_hash(netsim::scenarios::run_scenario(s, seed, as_fuzzed).trace_hash));
        }
        fmt::print("\n");
    }
    return 0;
}
