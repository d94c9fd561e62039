// A backend's load report (ORCA, gRFC A51, as weighted_round_robin reads it in gRFC A58): the
// queries per second, CPU utilization and errors per second the server publishes. A server with
// one configured sends it after each response, as ORCA's per-call report rides in the response
// trailers; it travels as its own message word (WireKind::load_report), so the client learns it
// only over the simulated socket. Integers only: utilization in permille (1000 = one CPU).
#pragma once

#include <cstdint>
#include <optional>

namespace netsim::app {

struct LoadReport {
    std::uint32_t qps = 0;                   // < 2^24
    std::uint32_t utilization_permille = 0;  // < 2^16
    std::uint32_t eps = 0;                   // errors per second, < 2^16
    auto operator<=>(const LoadReport&) const = default;

    // Bits 56..63 WireKind::load_report, 32..55 qps, 16..31 utilization, 0..15 eps.
    std::uint64_t encode() const;
    // None unless the word is a load report.
    static std::optional<LoadReport> decode(std::uint64_t word);
    static constexpr std::size_t bytes = 9 + 24;  // a trailer field in a HEADERS frame
};

}  // namespace netsim::app
