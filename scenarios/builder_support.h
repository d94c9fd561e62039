// The few helpers the builder's files share: the one way a builder call fails
// (std::invalid_argument with the parser's wording) and the checks of windows and rates.
#pragma once

#include "scenarios/model.h"
#include "scenarios/parse_error.h"

#include <fmt/format.h>

#include <cstddef>
#include <limits>
#include <stdexcept>
#include <string>
#include <utility>

namespace netsim::scenarios::builder_support {

inline constexpr std::size_t none = std::numeric_limits<std::size_t>::max();

[[noreturn]] inline void fail(const std::string& message) { throw std::invalid_argument(message); }

template <typename T>
T value_or_throw(Parsed<T> parsed) {
    if (!parsed) fail(parsed.error().message);
    return std::move(parsed).value();
}

inline DurationRange window(Duration low, Duration high) {
    if (high < low) fail(fmt::format("window {}..{} ends before it starts", low, high));
    return DurationRange{low, high};
}

inline Rate rate_of(std::uint64_t events, Duration per) {
    if (per <= Duration::zero()) fail(fmt::format("rate {}/{} is per zero time", events, per));
    return Rate{events, per};
}

}  // namespace netsim::scenarios::builder_support
