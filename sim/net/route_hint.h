// A sender's memory of its route (a connected socket sends every segment to one address): the
// network fills it on the first send and, while the destination is the same, takes the path
// from it instead of looking the route up. Only a speed-up: the path is the one the lookup would
// give (hosts, their addresses and paths never go away during a run).
#pragma once

#include "sim/net/ip_address.h"

#include <cstdint>

namespace netsim::net {

struct RouteHint {
    static constexpr std::uint32_t none = UINT32_MAX;
    IpAddress destination;
    std::uint32_t path = none;  // an index the network hands out
};

}  // namespace netsim::net
