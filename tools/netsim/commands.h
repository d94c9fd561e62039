// The `netsim` command-line tool's sub-commands. Each takes its arguments (without the command
// name) and returns the process exit status: 0 success, 1 a failure found, 2 usage or input error.
#pragma once

#include <string>
#include <vector>

namespace netsim::cli {

int syscalls_command(const std::vector<std::string>& args);
void print_syscalls_help();
int run_command(const std::vector<std::string>& args);
void print_run_help();
int fuzz_command(const std::vector<std::string>& args);
void print_fuzz_help();
int list_command(const std::vector<std::string>& args);
void print_list_help();

}  // namespace netsim::cli
