// The `netsim` command-line tool's sub-commands. Each takes its arguments (without the command
// name) and returns the process exit status: 0 success, 1 a failure found, 2 usage or input error.
#pragma once

#include <string>
#include <vector>

namespace netsim::cli {

int syscalls_command(const std::vector<std::string>& args);
void print_syscalls_help();

}  // namespace netsim::cli
