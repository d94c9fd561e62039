// `netsim`: a thin dispatcher over the libraries; each sub-command lives in its own file.
#include "tools/netsim/commands.h"

#include <fmt/core.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include <string>
#include <vector>

namespace {

void print_help() {
    fmt::print(
        "usage: netsim COMMAND [ARGS]\n"
        "\n"
        "commands:\n"
        "  run SCENARIO      run one seed of a scenario: verdict, violations, trace hash\n"
        "  fuzz SCENARIO     sweep seeds, group failures, print the command replaying each\n"
        "  list              the scenario catalogue, one line each\n"
        "  syscalls SCRIPT   run a socket-operation script against one simulated Linux host and\n"
        "                    print one outcome per operation\n"
        "\n"
        "`netsim COMMAND --help` describes a command. Exit status: 0 ok, 1 a failure was found,\n"
        "2 usage or input error.\n");
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty()) {
        print_help();
        return 2;
    }
    const std::string command = args.front();
    args.erase(args.begin());
    if (command == "--help" || command == "-h" || command == "help") {
        print_help();
        return 0;
    }
    int status = 2;
    if (command == "syscalls") status = netsim::cli::syscalls_command(args);
    else if (command == "run") status = netsim::cli::run_command(args);
    else if (command == "fuzz") status = netsim::cli::fuzz_command(args);
    else if (command == "list") status = netsim::cli::list_command(args);
    else fmt::print(stderr, "netsim: unknown command '{}' (see netsim --help)\n", command);
    // A report that did not reach standard output (a full disk, a closed pipe) is not a result.
    if (std::fflush(stdout) != 0 || std::ferror(stdout)) {
        fmt::print(stderr, "netsim {}: writing standard output failed: {}\n", command, std::strerror(errno));
        return 2;
    }
    return status;
}
