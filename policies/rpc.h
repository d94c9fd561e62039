// What a unary RPC on a channel is given and what it ends with. Every RPC ends with exactly one
// RpcResult carrying a status (the oracles' first invariant); statuses are gRPC's codes, named
// as gRPC names them ("OK", "UNAVAILABLE", "DEADLINE_EXCEEDED", "CANCELLED").
#pragma once

#include "sim/core/time.h"
#include "sim/kernel/socket.h"
#include "sim/net/ip_address.h"

#include <fmt/format.h>

#include <cstdint>
#include <optional>
#include <string_view>

namespace netsim::policies {

enum class RpcStatus : std::uint8_t {
    ok,
    cancelled,          // the channel was shut down with the RPC pending
    deadline_exceeded,  // the RPC's deadline passed before the response arrived
    unavailable,        // fail-fast in TRANSIENT_FAILURE, or the connection was lost in flight
};
std::string_view status_name(RpcStatus status);

struct RpcOptions {
    // Relative to start_rpc(); Duration::max() is no deadline.
    Duration deadline = Duration::max();
    // gRPC's wait-for-ready: wait through TRANSIENT_FAILURE instead of failing fast.
    bool wait_for_ready = false;
    // The request hash ring_hash places the RPC by (gRFC A42; A76: XXH64 of a request header),
    // none: the policy makes one up. Other policies ignore it.
    std::optional<std::uint64_t> request_hash = std::nullopt;
};

struct RpcResult {
    std::uint32_t id = 0;
    RpcStatus status = RpcStatus::unavailable;
    Instant started;
    Instant finished;
    kernel::ProcessId served_by;                // from the response (status OK only)
    std::optional<net::SocketAddress> address;  // the connection it was sent on, if sent
};

}  // namespace netsim::policies

template <>
struct fmt::formatter<netsim::policies::RpcStatus> : fmt::formatter<std::string_view> {
    auto format(netsim::policies::RpcStatus s, format_context& ctx) const {
        return fmt::formatter<std::string_view>::format(netsim::policies::status_name(s), ctx);
    }
};
