// Encoding of load reports into a message word.
#include "sim/app/load_report.h"

#include "sim/app/wire.h"
#include "sim/core/check.h"

namespace netsim::app {

std::uint64_t LoadReport::encode() const {
    NETSIM_CHECK_MSG(qps < (1u << 24) && utilization_permille < (1u << 16) && eps < (1u << 16),
                     "load report qps={} utilization={} eps={} does not fit the wire", qps, utilization_permille, eps);
    return (std::uint64_t{static_cast<std::uint8_t>(WireKind::load_report)} << 56) | (std::uint64_t{qps} << 32) |
           (std::uint64_t{utilization_permille} << 16) | eps;
}

std::optional<LoadReport> LoadReport::decode(std::uint64_t word) {
    if (static_cast<std::uint8_t>(word >> 56) != static_cast<std::uint8_t>(WireKind::load_report)) return std::nullopt;
    return LoadReport{static_cast<std::uint32_t>((word >> 32) & 0xffffff), static_cast<std::uint32_t>((word >> 16) & 0xffff),
                      static_cast<std::uint32_t>(word & 0xffff)};
}

}  // namespace netsim::app
