// The real-Linux runner's guard and set-up: it only ever operates in a fresh private network
// namespace (made by `unshare -n`), where loopback is the only interface, so a script can
// neither disturb the host's sockets nor send anything off the machine.
#pragma once

#include <optional>
#include <string>

namespace netsim::conformance {

// Why the current network namespace is unsafe or not fresh, or nothing when it is fit: it is
// not the host's (PID 1's, or where that cannot be read, the parent's), `lo` is its only
// interface and is still down, and it holds no TCP socket.
std::optional<std::string> unfit_namespace_reason();

// Sets IFF_UP on `lo` (ioctl SIOCSIFFLAGS). Returns an error text on failure.
std::optional<std::string> bring_loopback_up();

// Writes `value` to /proc/sys/net/ipv4/NAME of the current namespace. Returns an error text on
// failure.
std::optional<std::string> write_ipv4_sysctl(const std::string& name, const std::string& value);

}  // namespace netsim::conformance
