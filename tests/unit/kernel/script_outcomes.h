// Test helper: runs an inline socket-operation script on the kernel model and returns the
// outcome of each operation without its line number ("ok", "EADDRINUSE", "ok 40000", "eof").
#pragma once

#include "sim/kernel/script/model_runner.h"
#include "tests/support/catch.h"

#include <string>
#include <string_view>
#include <vector>

namespace netsim::testing {

inline std::vector<std::string> outcomes(std::string_view script, std::uint64_t seed = 0) {
    auto parsed = kernel::parse_syscall_script(script, "inline");
    if (const auto* error = std::get_if<kernel::ScriptError>(&parsed)) FAIL(error->format());
    std::vector<std::string> out;
    for (const std::string& line : kernel::run_script_on_model(std::get<kernel::SyscallScript>(parsed), seed).lines)
        out.push_back(line.substr(line.find(' ') + 1));
    return out;
}

using Outcomes = std::vector<std::string>;

}  // namespace netsim::testing
