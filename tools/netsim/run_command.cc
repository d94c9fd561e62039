// `netsim run SCENARIO [--seed N] [--set K=V ...] [-v] [--trace FILE --format F] [filters]`: one
// seed of a scenario, its verdict, each violation with its trace excerpt, and the trace hash.
// With -v or --trace the seed runs a second time with the writers attached: a run is a pure
// function of (scenario, seed), so the second run is the first one again, now with its
// violations known in advance (marked inline, and the centre of --around-failure).
#include "scenarios/excerpt_collector.h"
#include "scenarios/report.h"
#include "scenarios/runner.h"
#include "sim/trace/tee_sink.h"
#include "sim/trace/trace_writer.h"
#include "tools/netsim/commands.h"
#include "tools/netsim/scenario_args.h"
#include "tools/netsim/trace_options.h"

#include <fmt/core.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <unistd.h>

namespace netsim::cli {

void print_run_help() {
    fmt::print(
        "usage: netsim run SCENARIO [--seed N] [--set NAME=VALUE ...] [-v]\n"
        "                  [--trace FILE [--format F]] [--trace-* FILTER ...]\n"
        "\n"
        "Runs one seed of SCENARIO (a .scn file, or a catalogue name from `netsim list`) and\n"
        "prints the verdict, every violated expectation with its virtual instant, file:line:col\n"
        "and the trace records that explain it, then `trace-hash: HASH`.\n"
        "  --seed N           seed of the run; default 0\n"
        "  --set NAME=VALUE   override a `param` of the scenario (repeatable)\n"
        "  -v                 also print the timeline (the text format) before the verdict\n"
        "{}"
        "Exit status: 0 every expectation holds, 1 a violation, 2 usage or input error.\n",
        trace_options_help());
}

namespace {

// Where each server, channel and noise process of the scenario runs.
trace::Placement placement_of(const scenarios::Scenario& s) {
    trace::Placement p;
    for (const auto& server : s.servers) p.place(server.name, server.host);
    for (const auto& channel : s.channels) p.place(channel.name, channel.host);
    for (const auto& noise : s.noise) p.place(noise.name, noise.host);
    return p;
}

std::optional<std::string> check_names(const TraceRequest& request, const scenarios::Scenario& s) {
    std::vector<std::string> hosts, components;
    for (const auto& host : s.hosts) {
        hosts.push_back(host.name);
        components.push_back(host.name + "/kernel");
    }
    for (const auto& server : s.servers) components.push_back(server.name);
    for (const auto& channel : s.channels) components.push_back(channel.name);
    for (const auto& noise : s.noise) components.push_back(noise.name);
    return check_trace_names(request, hosts, components);
}

trace::TraceFilter filter_for(const TraceRequest& request, const scenarios::RunReport& first,
                              const trace::Placement& placement) {
    trace::TraceFilterSpec spec = request.filter;
    if (request.around_failure && !first.violations.empty()) {
        const Instant centre = first.violations.front().at;
        const Duration d = *request.around_failure;
        spec.from = centre.count_ns() > d.count_ns() ? centre - d : Instant::start();
        spec.until = centre + d;
    }
    return trace::TraceFilter(std::move(spec), placement);
}

std::unique_ptr<trace::TraceWriter> make_writer(trace::FormatName format, trace::TraceOutput& out,
                                                const TraceRequest& request, const scenarios::RunReport& first,
                                                const trace::FormatContext& context) {
    auto writer = std::make_unique<trace::TraceWriter>(trace::make_format(format, context), out,
                                                       filter_for(request, first, context.placement));
    for (const scenarios::Violation& v : first.violations) writer->mark({v.at, v.expectation, v.what, v.detail});
    return writer;
}

struct RunArgs {
    std::string path;
    std::uint64_t seed = 0;
    bool verbose = false;
    scenarios::ParamOverrides sets;
    TraceRequest trace;
};

// 0: parsed; 1: --help printed; 2: a usage error (printed).
int parse_run_args(const std::vector<std::string>& args, RunArgs& out) {
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        std::string error;
        const OptionParse traced = parse_trace_option(args, i, out.trace, error);
        if (traced == OptionParse::error) {
            fmt::print(stderr, "netsim run: {}\n", error);
            return 2;
        }
        if (traced == OptionParse::ok) continue;
        if (a == "--help" || a == "-h") {
            print_run_help();
            return 1;
        }
        if (a == "-v" || a == "--verbose") {
            out.verbose = true;
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
                out.seed = *n;
            } else {
                auto kv = parse_set(v);
                if (!kv) {
                    fmt::print(stderr, "netsim run: --set needs NAME=VALUE, got '{}'\n", v);
                    return 2;
                }
                out.sets.push_back(*kv);
            }
        } else if (!a.empty() && a[0] == '-') {
            fmt::print(stderr, "netsim run: unknown option '{}' (see --help)\n", a);
            return 2;
        } else if (out.path.empty()) {
            out.path = a;
        } else {
            fmt::print(stderr, "netsim run: one scenario at a time (got '{}' and '{}')\n", out.path, a);
            return 2;
        }
    }
    if (out.path.empty()) {
        print_run_help();
        return 2;
    }
    if (auto problem = finish_trace_request(out.trace, out.verbose)) {
        fmt::print(stderr, "netsim run: {}\n", *problem);
        return 2;
    }
    return 0;
}

struct FileCloser {
    void operator()(std::FILE* f) const {
        if (f != nullptr && f != stdout) std::fclose(f);
    }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

}  // namespace

int run_command(const std::vector<std::string>& args) {
    RunArgs a;
    if (const int parsed = parse_run_args(args, a); parsed != 0) return parsed == 1 ? 0 : 2;
    const auto scenario = load_scenario(resolve_scenario_path(a.path), a.sets);
    if (!scenario) return 2;
    if (auto problem = check_names(a.trace, *scenario)) {
        fmt::print(stderr, "netsim run: {}\n", *problem);
        return 2;
    }
    File file;
    if (!a.trace.file.empty()) {
        if (a.trace.file == "-" && trace::is_binary(*a.trace.format) && isatty(STDOUT_FILENO)) {
            fmt::print(stderr, "netsim run: --format {} is binary: give --trace a file name\n", to_string(*a.trace.format));
            return 2;
        }
        file.reset(a.trace.file == "-" ? stdout : std::fopen(a.trace.file.c_str(), "wb"));
        if (!file) {
            fmt::print(stderr, "netsim run: cannot write {}: {}\n", a.trace.file, std::strerror(errno));
            return 2;
        }
    }
    // The first run keeps no record, only the hash. The writers (-v, --trace) and the report's
    // trace excerpts need records: the run is then replayed into the writers and an
    // ExcerptCollector that keeps only what the excerpts show, so a long run is never held whole.
    scenarios::RunReport report = scenarios::run_scenario(*scenario, a.seed, scenarios::RunOptions{});
    if (a.verbose || file || !report.violations.empty()) {
        if ((a.verbose || file) && a.trace.around_failure && report.violations.empty())
            fmt::print(stderr, "netsim run: --around-failure: the run holds, so the trace is the whole run\n");
        const trace::FormatContext context{placement_of(*scenario),
                                           fmt::format("{}, seed {}: {}", scenario->name, a.seed,
                                                       report.holds ? "holds" : "FAILED")};
        trace::TraceOutput timeline_out(stdout);
        std::optional<trace::TraceOutput> file_out;
        trace::TeeSink tee;
        std::unique_ptr<trace::TraceWriter> timeline, traced;
        if (a.verbose) {
            timeline = make_writer(trace::FormatName::text, timeline_out, a.trace, report, context);
            tee.add(timeline.get());
        }
        if (file) {
            file_out.emplace(file.get());
            traced = make_writer(*a.trace.format, *file_out, a.trace, report, context);
            tee.add(traced.get());
        }
        scenarios::ExcerptCollector excerpts(*scenario, report.violations);
        tee.add(&excerpts);
        scenarios::RunOptions replay;
        replay.sink = &tee;
        const scenarios::RunReport again = scenarios::run_scenario(*scenario, a.seed, replay);
        if (again.trace_hash != report.trace_hash) {
            fmt::print(stderr, "netsim run: the traced run diverged from the first one (trace hash {} vs {})\n",
                       format_trace_hash(again.trace_hash), format_trace_hash(report.trace_hash));
            return 2;
        }
        report.trace = excerpts.records();
        if (timeline) timeline->finish();
        if (traced && !traced->finish()) {
            fmt::print(stderr, "netsim run: writing {} failed: {}\n", a.trace.file, std::strerror(errno));
            return 2;
        }
    }
    // With `--trace -` standard output is the trace alone (for jq or tshark -r -); the report goes
    // to standard error.
    fmt::print(a.trace.file == "-" ? stderr : stdout, "{}", scenarios::format_report(*scenario, report));
    return report.holds ? 0 : 1;
}

}  // namespace netsim::cli
