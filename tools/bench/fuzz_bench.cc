// Fuzz throughput: the fuzzer's inner loop (build a world from the scenario and a seed, run
// it, judge it, drop it) on the catalogue's pick_first_restart, on one core. Prints runs per
// second per listener strategy, the failure rate, and the wall time to the first failure as
// `netsim fuzz --stop-on-first` would see it, median over 20 seed starts. The baseline in the
// same run is the cost of building and dropping the world without running it. The shared
// machine's speed drifts within seconds, so the baseline and both sweeps run interleaved, in
// rounds on fresh seeds, and each figure is the median over the rounds (a ratio: the median of
// the rounds' ratios, each against the baseline measured next to it).
#include "scenarios/parser.h"
#include "scenarios/run_world.h"
#include "scenarios/runner.h"
#include "tools/bench/wall_timer.h"

#include <fmt/core.h>

#include <algorithm>
#include <string>
#include <vector>

using namespace netsim;

namespace {

scenarios::Scenario load(const std::string& path, const scenarios::ParamOverrides& sets) {
    auto parsed = scenarios::parse_scenario_file(path, sets);
    if (auto* e = std::get_if<scenarios::ParseError>(&parsed)) {
        fmt::print(stderr, "{}\n", e->to_string());
        std::exit(2);
    }
    return std::get<scenarios::Scenario>(std::move(parsed));
}

struct Sweep {
    double runs_per_second = 0;
    std::uint64_t failures = 0;
};

// As `netsim fuzz` runs each seed: ending at the first decided violation, the trace unhashed.
scenarios::RunOptions as_fuzzed() {
    scenarios::RunOptions options;
    options.stop_at_first_failure = true;
    options.hash_trace = false;
    return options;
}

Sweep sweep(const scenarios::Scenario& s, std::uint64_t first_seed, std::uint64_t runs) {
    bench::WallTimer timer;
    Sweep out;
    for (std::uint64_t seed = first_seed; seed < first_seed + runs; ++seed)
        out.failures += !scenarios::run_scenario(s, seed, as_fuzzed()).holds;
    out.runs_per_second = static_cast<double>(runs) / timer.seconds();
    return out;
}

double median(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    const std::size_t n = values.size();
    return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

double build_only_per_second(const scenarios::Scenario& s, std::uint64_t first_seed, std::uint64_t runs) {
    bench::WallTimer timer;
    for (std::uint64_t seed = first_seed; seed < first_seed + runs; ++seed) scenarios::RunWorld world(s, seed);
    return static_cast<double>(runs) / timer.seconds();
}

// Median wall time to the first failing seed, over 20 starting seeds 1,000,000 apart.
double median_time_to_first_failure(const scenarios::Scenario& s, std::uint64_t cap) {
    std::vector<double> times;
    for (std::uint64_t start = 0; start < 20; ++start) {
        bench::WallTimer timer;
        for (std::uint64_t i = 0; i < cap; ++i)
            if (!scenarios::run_scenario(s, start * 1'000'000 + i, as_fuzzed()).holds) break;
        times.push_back(timer.seconds());
    }
    return median(times);
}

}  // namespace

int main(int argc, char** argv) {
    std::string path = "scenarios/pick_first_restart.scn";
    std::uint64_t runs = 2000;
    std::uint64_t rounds = 5;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--scenario" && i + 1 < argc) path = argv[++i];
        else if (a == "--runs" && i + 1 < argc) runs = std::stoull(argv[++i]);
        else if (a == "--rounds" && i + 1 < argc) rounds = std::max<std::uint64_t>(1, std::stoull(argv[++i]));
        else {
            fmt::print(stderr, "usage: fuzz_bench [--scenario FILE] [--runs N] [--rounds N]\n");
            return 2;
        }
    }
    const scenarios::Scenario reuseaddr = load(path, {{"listener", "reuseaddr"}});
    const scenarios::Scenario restartable = load(path, {{"listener", "restartable"}});
    fmt::print("fuzz throughput on {} ({} rounds of {} runs each, one core; medians)\n", path, rounds, runs);
    struct Figure {
        const char* name;
        const scenarios::Scenario* scenario;
        std::vector<double> rates, ratios;
        std::uint64_t failures = 0;
    };
    std::vector<double> baselines;
    Figure figures[] = {{"listener=reuseaddr", &reuseaddr, {}, {}}, {"listener=restartable", &restartable, {}, {}}};
    for (std::uint64_t round = 0; round < rounds; ++round) {
        const std::uint64_t first_seed = round * runs;
        const double baseline = build_only_per_second(reuseaddr, first_seed, runs);
        baselines.push_back(baseline);
        for (Figure& f : figures) {
            const Sweep r = sweep(*f.scenario, first_seed, runs);
            f.rates.push_back(r.runs_per_second);
            f.ratios.push_back(r.runs_per_second / baseline);
            f.failures += r.failures;
        }
    }
    fmt::print("  {:<34} {:>10.0f} worlds/s (baseline: build and drop, no run)\n", "build only", median(baselines));
    for (const Figure& f : figures)
        fmt::print("  {:<34} {:>10.0f} runs/s  {:>6} failed of {}  ({:.3f} of the baseline rate)\n", f.name,
                   median(f.rates), f.failures, rounds * runs, median(f.ratios));
    fmt::print("  time to first failure (reuseaddr, median of 20 seed starts): {:.3f} s\n",
               median_time_to_first_failure(reuseaddr, 100'000));
    return 0;
}
