// Matching a channel's state sequence against an `expect ... states match "..."` pattern (state
// names, ( ), * + ?, |; the parser has checked it is well formed). The whole sequence must match.
#pragma once

#include <string_view>
#include <vector>

namespace netsim::scenarios {

bool state_sequence_matches(std::string_view pattern, const std::vector<std::string_view>& states);

}  // namespace netsim::scenarios
