// Field-by-field comparison of two scenario models, ignoring where they came from (every
// `SourceLocation` and `Scenario::file`). Used to check that the builder and the parser describe
// the same scenario; each difference reads "servers[0].backlog: 128 vs 64".
#pragma once

#include "scenarios/model.h"

#include <string>
#include <vector>

namespace netsim::scenarios {

std::vector<std::string> model_differences(const Scenario& a, const Scenario& b);

inline bool same_model(const Scenario& a, const Scenario& b) { return model_differences(a, b).empty(); }

}  // namespace netsim::scenarios
