// The pattern language of `expect CHANNEL states match "..."`: connectivity state names
// separated by spaces, grouped with ( ), repeated with * + ?, alternatives with |. This file
// only checks that a pattern is well formed, so that a malformed one is a parse error at its
// offending character rather than a surprise when the runner matches it.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace netsim::scenarios {

struct PatternProblem {
    std::size_t offset = 0;  // 0-based, into the pattern
    std::string message;
};

std::optional<PatternProblem> check_state_pattern(std::string_view pattern);

}  // namespace netsim::scenarios
