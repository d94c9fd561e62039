// The test behind a report's trace excerpts: the scenario names a violation mentions, and
// whether a record is about one of them. Shared by the report (over kept records) and by the
// excerpt collector (over streamed ones), so both pick the same records.
#pragma once

#include "scenarios/model.h"
#include "scenarios/oracles.h"
#include "sim/core/trace.h"

#include <set>
#include <string>

namespace netsim::scenarios {

// The scenario names (servers, channels, noise) that the violation's text mentions.
std::set<std::string> mentioned_names(const Scenario& scenario, const Violation& v);
// A record from one of those names (or about one of them), or from the timeline.
bool about(const TraceRecord& r, const std::set<std::string>& names);

}  // namespace netsim::scenarios
