// Stand-in linked when ns-3 is not installed: the benchmark then reports ns-3 as unavailable.
#include "tools/bench/hold_model.h"

#include <cstdlib>

namespace netsim::bench {

bool ns3_available() { return false; }

HoldResult run_ns3_hold(const HoldParams&, const std::string&) { std::abort(); }

}  // namespace netsim::bench
