// Which addresses a scenario's hosts may own: specific unicast addresses, each owned by one
// host, an IPv4-mapped IPv6 address counting as the IPv4 address it maps. Every host has the
// loopback interface already. The network model asserts the same rules; the parser and the
// builder check them first, so that a bad scenario is an error message, not an abort.
#pragma once

#include "scenarios/model.h"

#include <optional>
#include <string>
#include <vector>

namespace netsim::scenarios {

// Why the last host of `hosts`, which already holds the addresses given before, may not own
// `ip` as well; nothing when it may.
std::optional<std::string> host_address_problem(const net::IpAddress& ip, const std::vector<HostSpec>& hosts);

}  // namespace netsim::scenarios
