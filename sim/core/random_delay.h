// Random durations drawn from an Rng with integer arithmetic only, so that every standard
// library and optimisation level gives the same value for the same draw: uniform in a closed
// window, and exponential with a given mean (the gaps of a Poisson process). The exponential
// uses a fixed-point natural logarithm (32 fractional bits, from a 256-entry table built at
// compile time and a cubic for the rest); its mean is within 0.1% of the target.
#pragma once

#include "sim/core/rng.h"
#include "sim/core/time.h"

namespace netsim {

// Uniform in [low, high], both inclusive; low <= high.
Duration uniform_delay(Rng& rng, Duration low, Duration high);

// Exponentially distributed with mean `mean` (> 0), in whole nanoseconds: -mean * ln(U).
Duration exponential_delay(Rng& rng, Duration mean);

}  // namespace netsim
