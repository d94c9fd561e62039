// The text a person reads after `netsim run`: the verdict, each violation with its virtual
// instant, the expectation's file:line:col, what happened, who held the port, and the trace
// records just before it (when the run kept its records), then the trace hash.
#pragma once

#include "scenarios/runner.h"

#include <string>

namespace netsim::scenarios {

// The trace records that explain a violation: up to `limit` records at or before its instant
// from the sources and about the names its expectation mentions.
std::vector<const TraceRecord*> explaining_records(const Scenario& scenario, const RunReport& report,
                                                   const Violation& violation, std::size_t limit = 12);

std::string format_report(const Scenario& scenario, const RunReport& report);

}  // namespace netsim::scenarios
