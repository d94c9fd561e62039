// `netsim list`: the catalogue of scenarios, one line each (name, then what it reproduces).
#include "tools/netsim/commands.h"
#include "tools/netsim/scenario_args.h"

#include <fmt/core.h>

#include <algorithm>
#include <filesystem>

namespace netsim::cli {

void print_list_help() {
    fmt::print(
        "usage: netsim list [--dir DIR]\n"
        "\n"
        "Lists the scenario catalogue (DIR, default the scenarios/ folder or $NETSIM_SCENARIOS):\n"
        "one line per scenario with its name and description. Run one with `netsim run NAME`.\n");
}

int list_command(const std::vector<std::string>& args) {
    std::string dir = catalogue_dir();
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--help" || args[i] == "-h") {
            print_list_help();
            return 0;
        }
        if (args[i] == "--dir" && i + 1 < args.size()) {
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
    for (const fs::path& file : files) {
        const auto scenario = load_scenario(file.string(), {});
        if (!scenario) {
            status = 2;
            continue;
        }
        fmt::print("{:<36} {}\n", scenario->name, scenario->description);
    }
    return status;
}

}  // namespace netsim::cli
