// The properties of the path between two hosts, in one direction: fixed latency, seeded jitter
// (uniform in [0, jitter]) and loss as an integer ratio. Loopback is a path with none of these.
#pragma once

#include "sim/core/time.h"

#include <cstdint>

namespace netsim::net {

struct LinkConfig {
    Duration latency = Duration::zero();
    Duration jitter = Duration::zero();
    std::uint32_t loss_numerator = 0;  // loss probability = numerator / denominator
    std::uint32_t loss_denominator = 1;
};

}  // namespace netsim::net
