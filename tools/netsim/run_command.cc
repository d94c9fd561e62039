// `netsim run SCENARIO [--seed N] [--set K=V ...] [-v]`: one seed of a scenario, its verdict,
// each violation with its trace excerpt, and the trace hash.
#include "scenarios/report.h"
#include "scenarios/runner.h"
#include "tools/netsim/commands.h"
#include "tools/netsim/scenario_args.h"

#include <fmt/core.h>

namespace netsim::cli {

void print_run_help() {
    fmt::print(
        "usage: netsim run SCENARIO [--seed N] [--set NAME=VALUE ...] [-v]\n"
        "\n"
        "Runs one seed of SCENARIO (a .scn file, or a catalogue name from `netsim list`) and\n"
        "prints the verdict, every violated expectation with its virtual instant, file:line:col\n"
        "and the trace records that explain it, then `trace-hash: HASH`.\n"
        "  --seed N           seed of the run; default 0\n"
        "  --set NAME=VALUE   override a `param` of the scenario (repeatable)\n"
        "  -v                 also print the whole timeline (every trace record)\n"
        "Exit status: 0 every expectation holds, 1 a violation, 2 usage or input error.\n");
}

int run_command(const std::vector<std::string>& args) {
    std::string path;
    std::uint64_t seed = 0;
    bool verbose = false;
    scenarios::ParamOverrides sets;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "--help" || a == "-h") {
            print_run_help();
            return 0;
        }
        if (a == "-v" || a == "--verbose") {
            verbose = true;
        } else if (a == "--seed" || a == "--set") {
            if (i + 1 >= args.size()) {
                fmt::print(stderr, "netsim run: {} needs a value (see --help)\n", a);
                return 2;
            }
            const std::string& v = args[++i];
            if (a == "--seed") {
                auto n = parse_count(v);
                if (!n) {
                    fmt::print(stderr, "netsim run: --seed needs a whole number, got '{}'\n", v);
                    return 2;
                }
                seed = *n;
            } else {
                auto kv = parse_set(v);
                if (!kv) {
                    fmt::print(stderr, "netsim run: --set needs NAME=VALUE, got '{}'\n", v);
                    return 2;
                }
                sets.push_back(*kv);
            }
        } else if (!a.empty() && a[0] == '-') {
            fmt::print(stderr, "netsim run: unknown option '{}' (see --help)\n", a);
            return 2;
        } else if (path.empty()) {
            path = a;
        } else {
            fmt::print(stderr, "netsim run: one scenario at a time (got '{}' and '{}')\n", path, a);
            return 2;
        }
    }
    if (path.empty()) {
        print_run_help();
        return 2;
    }
    const auto scenario = load_scenario(resolve_scenario_path(path), sets);
    if (!scenario) return 2;
    scenarios::RunOptions options;
    options.keep_records = true;
    const scenarios::RunReport report = scenarios::run_scenario(*scenario, seed, options);
    if (verbose)
        for (const TraceRecord& r : report.trace) fmt::print("{}\n", format_trace_record(r));
    fmt::print("{}", scenarios::format_report(*scenario, report));
    return report.holds ? 0 : 1;
}

}  // namespace netsim::cli
