// `netsim syscalls SCRIPT [--seed N] [--trace]`: the kernel model run on a socket-operation script.
// `netsim syscalls --conditions SCRIPT...`: the (operation, socket condition) pairs the scripts
// meet on the model, with how often.
#include "sim/core/trace.h"
#include "sim/kernel/script/model_runner.h"
#include "tools/netsim/commands.h"
#include "tools/netsim/input_file.h"

#include <fmt/core.h>

#include <charconv>
#include <map>
#include <variant>

namespace netsim::cli {

void print_syscalls_help() {
    fmt::print(
        "usage: netsim syscalls SCRIPT [--seed N] [--trace]\n"
        "\n"
        "Runs SCRIPT (format: one socket operation a line, see README) against one simulated\n"
        "Linux host and prints `LINE OUTCOME` for each operation, as real Linux would.\n"
        "  --seed N   seed of the run (ephemeral port choices); default 0\n"
        "  --trace    also print the run's trace, then `trace-hash: HASH`\n"
        "usage: netsim syscalls --conditions SCRIPT...\n"
        "  prints `OPERATION CONDITION COUNT` for every pair the scripts meet on the model\n"
        "  (the condition of the socket an operation names: its TCP state, CLOSE qualified by\n"
        "  what left it so), sorted\n"
        "A malformed script prints `file:line:col: message` and exits 2.\n");
}

namespace {

std::variant<kernel::SyscallScript, int> load_script(const std::string& path) {
    std::string why;
    const std::optional<std::string> text = read_input_file(path, why);
    if (!text) {
        fmt::print(stderr, "{}\n", cannot_read_message(path, "script", why));
        return 2;
    }
    auto parsed = kernel::parse_syscall_script(*text, path);
    if (const auto* error = std::get_if<kernel::ScriptError>(&parsed)) {
        fmt::print(stderr, "{}\n", error->format());
        return 2;
    }
    return std::get<kernel::SyscallScript>(std::move(parsed));
}

int conditions_command(const std::vector<std::string>& paths) {
    if (paths.empty()) {
        fmt::print(stderr, "netsim syscalls --conditions: no scripts given\n");
        return 2;
    }
    std::map<kernel::StepCondition, std::uint64_t> seen;
    for (const std::string& path : paths) {
        auto script = load_script(path);
        if (const int* status = std::get_if<int>(&script)) return *status;
        for (const kernel::StepCondition& c : kernel::run_script_on_model(std::get<kernel::SyscallScript>(script)).conditions)
            ++seen[c];
    }
    for (const auto& [c, count] : seen) fmt::print("{} {} {}\n", c.operation, c.condition, count);
    return 0;
}

}  // namespace

int syscalls_command(const std::vector<std::string>& args) {
    if (!args.empty() && args[0] == "--conditions") return conditions_command({args.begin() + 1, args.end()});
    std::string path;
    std::uint64_t seed = 0;
    bool trace = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "--help" || a == "-h") {
            print_syscalls_help();
            return 0;
        }
        if (a == "--trace") {
            trace = true;
        } else if (a == "--seed") {
            if (i + 1 >= args.size()) {
                fmt::print(stderr, "netsim syscalls: --seed needs a value (see --help)\n");
                return 2;
            }
            const std::string& v = args[++i];
            auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), seed);
            if (ec != std::errc() || p != v.data() + v.size()) {
                fmt::print(stderr, "netsim syscalls: --seed needs a whole number, got '{}'\n", v);
                return 2;
            }
        } else if (!a.empty() && a[0] == '-') {
            fmt::print(stderr, "netsim syscalls: unknown option '{}' (see --help)\n", a);
            return 2;
        } else if (path.empty()) {
            path = a;
        } else {
            fmt::print(stderr, "netsim syscalls: one script at a time (got '{}' and '{}')\n", path, a);
            return 2;
        }
    }
    if (path.empty()) {
        print_syscalls_help();
        return 2;
    }
    auto script = load_script(path);
    if (const int* status = std::get_if<int>(&script)) return *status;
    const kernel::ScriptRun run = kernel::run_script_on_model(std::get<kernel::SyscallScript>(script), seed);
    for (const std::string& line : run.lines) fmt::print("{}\n", line);
    if (trace) {
        for (const std::string& line : run.trace) fmt::print("{}\n", line);
        fmt::print("trace-hash: {}\n", format_trace_hash(run.trace_hash));
    }
    return 0;
}

}  // namespace netsim::cli
