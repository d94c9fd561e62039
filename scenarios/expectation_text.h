// An expectation written back in the scenario language's canonical spelling (parameters
// substituted, lists comma separated, options in the documented order), e.g.
// "expect client is READY within 5s after restart_a". The parser and the builder both store it
// in `Expectation::text`, so reports read the same whichever produced the scenario.
#pragma once

#include "scenarios/model.h"

#include <string>

namespace netsim::scenarios {

std::string expectation_text(const Expectation& expectation);

}  // namespace netsim::scenarios
