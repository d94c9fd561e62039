// Linux errno values by their symbolic names ("EADDRINUSE"), as socket-operation scripts print
// them. A table of its own rather than strerrorname_np, which glibc only has since 2.32 and
// which would tie the printed names to the C library.
#pragma once

#include <string_view>

namespace netsim::conformance {

// The name of `error` (an errno value), or "EUNKNOWN" for a value Linux does not define.
std::string_view errno_name(int error);

}  // namespace netsim::conformance
