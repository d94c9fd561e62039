// `netsim fuzz SCENARIO [--runs N | --time DURATION] [--seed-start N] [--set K=V ...]
// [--stop-on-first]`: sweeps seeds over a scenario and groups the failures by signature, each
// group with its count, first seed and the exact command that replays it.
#include "scenarios/runner.h"
#include "sim/explore/seed_sweep.h"
#include "tools/netsim/commands.h"
#include "tools/netsim/scenario_args.h"

#include <fmt/core.h>

#include <chrono>
#include <map>

namespace netsim::cli {

void print_fuzz_help() {
    fmt::print(
        "usage: netsim fuzz SCENARIO [--runs N | --time DURATION] [--seed-start N]\n"
        "                   [--set NAME=VALUE ...] [--stop-on-first]\n"
        "\n"
        "Runs SCENARIO for seeds N, N+1, ... and reports every way it failed: a line per new\n"
        "failure signature as it is found, then each group's count, first seed and the command\n"
        "that replays it, and a summary line with runs, failures and runs per second.\n"
        "  --runs N          number of seeds, at least 1 (default 1000)\n"
        "  --time DURATION   sweep for this long instead (wall clock: 10s, 2m; at least one\n"
        "                    seed runs); not with --runs\n"
        "  --seed-start N    first seed (default 0)\n"
        "  --set NAME=VALUE  override a `param` (repeatable; kept in the replay command)\n"
        "  --stop-on-first   stop at the first failing seed\n"
        "Each new failure also prints the trace hash its replay command will print: the seed is\n"
        "run again as `netsim run` runs it, which also checks that it fails again.\n"
        "Exit status: 0 no seed failed, 1 some seed failed, 2 usage or input error, or a failing\n"
        "seed that holds when run again (a determinism bug).\n");
}

int fuzz_command(const std::vector<std::string>& args) {
    std::string path;
    explore::SweepOptions options;
    options.max_runs = 1000;
    std::optional<Duration> budget;
    bool runs_given = false;
    scenarios::ParamOverrides sets;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "--help" || a == "-h") {
            print_fuzz_help();
            return 0;
        }
        if (a == "--stop-on-first") {
            options.stop_on_first_failure = true;
            continue;
        }
        if (a == "--runs" || a == "--time" || a == "--seed-start" || a == "--set") {
            if (i + 1 >= args.size()) {
                fmt::print(stderr, "netsim fuzz: {} needs a value (see --help)\n", a);
                return 2;
            }
            const std::string& v = args[++i];
            if (a == "--set") {
                auto kv = parse_set(v);
                if (!kv) {
                    fmt::print(stderr, "netsim fuzz: --set needs NAME=VALUE, got '{}'\n", v);
                    return 2;
                }
                sets.push_back(*kv);
            } else if (a == "--time") {
                budget = parse_duration(v);
                if (!budget) {
                    fmt::print(stderr, "netsim fuzz: --time needs a duration like 10s or 2m, got '{}'\n", v);
                    return 2;
                }
                if (budget->count_ns() == 0) {
                    fmt::print(stderr, "netsim fuzz: --time needs a duration above zero, got '{}'\n", v);
                    return 2;
                }
            } else {
                auto n = parse_count(v);
                if (!n) {
                    fmt::print(stderr, "netsim fuzz: {} needs a whole number, got '{}'\n", a, v);
                    return 2;
                }
                if (a == "--runs" && *n == 0) {
                    fmt::print(stderr, "netsim fuzz: --runs needs at least 1, got '{}'\n", v);
                    return 2;
                }
                if (a == "--runs") runs_given = true;
                (a == "--runs" ? options.max_runs : options.seed_start) = *n;
            }
        } else if (!a.empty() && a[0] == '-') {
            fmt::print(stderr, "netsim fuzz: unknown option '{}' (see --help)\n", a);
            return 2;
        } else if (path.empty()) {
            path = a;
        } else {
            fmt::print(stderr, "netsim fuzz: one scenario at a time (got '{}' and '{}')\n", path, a);
            return 2;
        }
    }
    if (path.empty()) {
        print_fuzz_help();
        return 2;
    }
    if (runs_given && budget) {
        fmt::print(stderr, "netsim fuzz: --runs and --time are alternatives: give one of them (see --help)\n");
        return 2;
    }
    constexpr std::uint64_t last_seed = UINT64_MAX;
    if (budget) {
        // As many seeds as there are up to the last one (all but that one from seed 0).
        options.max_runs = options.seed_start == 0 ? UINT64_MAX : last_seed - options.seed_start + 1;
    } else if (options.max_runs - 1 > last_seed - options.seed_start) {
        fmt::print(stderr, "netsim fuzz: {} runs from seed {} would go past the last seed, {}\n", options.max_runs,
                   options.seed_start, last_seed);
        return 2;
    }
    const std::string resolved = resolve_scenario_path(path);
    const auto scenario = load_scenario(resolved, sets);
    if (!scenario) return 2;

    using Clock = std::chrono::steady_clock;
    const Clock::time_point started = Clock::now();
    auto elapsed_s = [&] { return std::chrono::duration<double>(Clock::now() - started).count(); };
    // Each signature's first seed is run again as `netsim run` runs it (to the end, hashed): its
    // trace hash is what the replay command will print, and a seed that fails in the sweep but
    // holds when run again is a determinism bug, reported as such.
    std::map<std::string, std::uint64_t> replay_hashes;  // by signature
    bool diverged = false;
    scenarios::RunOptions run_options;
    run_options.stop_at_first_failure = true;  // the verdict and the first violation are enough
    run_options.hash_trace = false;            // a passing seed's hash is never read
    const explore::SweepReport report = explore::sweep_seeds(
        [&](std::uint64_t seed) {
            const scenarios::RunReport run = scenarios::run_scenario(*scenario, seed, run_options);
            return explore::RunVerdict{!run.holds, run.signature()};
        },
        options,
        [&](std::uint64_t runs) {
            // The first seed always runs, so that the summary's seed range is one that ran.
            return !budget || runs == 0 || elapsed_s() * 1e9 < static_cast<double>(budget->count_ns());
        },
        [&](std::uint64_t seed, const explore::RunVerdict& verdict) {
            if (replay_hashes.contains(verdict.signature)) return;
            const scenarios::RunReport replay = scenarios::run_scenario(*scenario, seed);
            replay_hashes.emplace(verdict.signature, replay.trace_hash);
            fmt::print("FAIL seed {} after {:.3f}s: {}\n  replay: {}\n  trace-hash: {}\n", seed, elapsed_s(),
                       verdict.signature, replay_command(path, seed, sets), format_trace_hash(replay.trace_hash));
            if (replay.holds) {
                diverged = true;
                fmt::print(stderr,
                           "netsim fuzz: seed {} failed in the sweep ({}) but holds when run again: the run is not "
                           "a function of (scenario, seed), a determinism bug\n",
                           seed, verdict.signature);
            }
        });
    const double seconds = elapsed_s();
    if (!report.groups.empty()) fmt::print("\nfailures by signature:\n");
    for (const auto& g : report.groups)
        fmt::print("  {} run{}, first seed {}: {}\n    {}\n    trace-hash: {}\n", g.count, g.count == 1 ? "" : "s",
                   g.first_seed, g.signature, replay_command(path, g.first_seed, sets),
                   format_trace_hash(replay_hashes.at(g.signature)));
    const std::uint64_t last_run = options.seed_start + (report.runs == 0 ? 0 : report.runs - 1);
    fmt::print("fuzz {}: {} run{} (seeds {}..{}), {} failed, {:.0f} runs/s\n", scenario->name, report.runs,
               report.runs == 1 ? "" : "s", options.seed_start, last_run, report.failures,
               seconds > 0 ? static_cast<double>(report.runs) / seconds : 0.0);
    if (diverged) return 2;
    return report.failures == 0 ? 0 : 1;
}

}  // namespace netsim::cli
