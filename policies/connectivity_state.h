// The connectivity states of gRPC's channels and subchannels (gRPC
// doc/connectivity-semantics-and-api.md), with their canonical upper-case names as they appear in
// traces and scenario files. A READY subchannel whose connection is lost goes IDLE, never
// CONNECTING; SHUTDOWN is final.
#pragma once

#include "sim/core/trace.h"

#include <fmt/format.h>

#include <cstdint>
#include <optional>
#include <string_view>

namespace netsim::policies {

enum class ConnectivityState : std::uint8_t {
    idle,               // no connection and none being attempted
    connecting,         // an attempt is under way
    ready,              // connected (for a subchannel: the server's preface arrived)
    transient_failure,  // an attempt failed; waiting to retry
    shutdown,           // released for good
};

// "IDLE", "CONNECTING", "READY", "TRANSIENT_FAILURE", "SHUTDOWN".
std::string_view state_name(ConnectivityState state);
// The state as a trace label, hashed by its number in the enumeration.
inline TraceLabel state_label(ConnectivityState state) {
    return TraceLabel{static_cast<std::uint32_t>(state), state_name(state)};
}
// The state with that name, as scenario files spell it.
std::optional<ConnectivityState> parse_state(std::string_view name);

}  // namespace netsim::policies

template <>
struct fmt::formatter<netsim::policies::ConnectivityState> : fmt::formatter<std::string_view> {
    auto format(netsim::policies::ConnectivityState s, format_context& ctx) const {
        return fmt::formatter<std::string_view>::format(netsim::policies::state_name(s), ctx);
    }
};
