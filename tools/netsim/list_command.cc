// `netsim list`: the catalogue of scenarios, one line each (the name `netsim run` takes, then
// what it reproduces).
#include "tools/netsim/commands.h"
#include "tools/netsim/scenario_args.h"

#include <fmt/core.h>

#include <algorithm>
#include <filesystem>
#include <map>

namespace netsim::cli {

void print_list_help() {
    fmt::print(
        "usage: netsim list [--dir DIR]\n"
        "\n"
        "Lists the scenario catalogue (DIR, default the scenarios/ folder or $NETSIM_SCENARIOS):\n"
        "one line per scenario with its name and description. Run one with `netsim run NAME`.\n"
        "NAME is the file's name without .scn (followed by `(scenario S)` when the file's\n"
        "`scenario` line says otherwise), or the file's path when DIR is not the catalogue.\n"
        "Two files declaring the same scenario name are reported on standard error.\n");
}

namespace {

// What `netsim run` takes to run `file`: its stem when that resolves to it, else its path.
std::string run_name(const std::filesystem::path& file) {
    const std::string stem = file.stem().string();
    std::error_code ec;
    if (!stem.empty() && stem[0] != '-' && std::filesystem::equivalent(resolve_scenario_path(stem), file, ec))
        return stem;
    const std::string path = file.string();
    return !path.empty() && path[0] == '-' ? "./" + path : path;
}

}  // namespace

int list_command(const std::vector<std::string>& args) {
    std::string dir = catalogue_dir();
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--help" || args[i] == "-h") {
            print_list_help();
            return 0;
        }
        if (args[i] == "--dir") {
            if (i + 1 >= args.size()) {
                fmt::print(stderr, "netsim list: --dir needs a value (see --help)\n");
                return 2;
            }
            dir = args[++i];
            continue;
        }
        fmt::print(stderr, "netsim list: unknown argument '{}' (see --help)\n", args[i]);
        return 2;
    }
    namespace fs = std::filesystem;
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
        fmt::print(stderr, "netsim list: no catalogue folder '{}'\n", dir);
        return 2;
    }
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(dir, ec))
        if (entry.path().extension() == ".scn") files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    int status = 0;
    std::map<std::string, std::vector<std::string>> files_of;  // scenario name -> files declaring it
    for (const fs::path& file : files) {
        const auto scenario = load_scenario(file.string(), {});
        if (!scenario) {
            status = 2;
            continue;
        }
        std::string name = run_name(file);
        if (scenario->name != file.stem().string()) name += fmt::format(" (scenario {})", scenario->name);
        fmt::print("{:<36} {}\n", name, scenario->description);
        files_of[scenario->name].push_back(file.string());
    }
    for (const auto& [name, declaring] : files_of) {
        if (declaring.size() < 2) continue;
        std::string list;
        for (const std::string& f : declaring) list += (list.empty() ? "" : ", ") + f;
        fmt::print(stderr, "netsim list: scenario '{}' is declared by {} files: {}\n", name, declaring.size(), list);
    }
    return status;
}

}  // namespace netsim::cli
