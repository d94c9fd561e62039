// The one include for Catch2 (v2, Debian's catch2 package) in netsim's tests, with printers for
// netsim's value types so that a failed REQUIRE shows "250ms", not "{?}".
#pragma once

#include <catch2/catch.hpp>

#include "sim/core/time.h"

namespace Catch {
template <>
struct StringMaker<netsim::Duration> {
    static std::string convert(netsim::Duration d) { return fmt::format("{}", d); }
};
template <>
struct StringMaker<netsim::Instant> {
    static std::string convert(netsim::Instant t) { return fmt::format("{}", t); }
};
}  // namespace Catch
