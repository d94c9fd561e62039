#include "sim/core/time.h"

#include <charconv>
#include <cstdlib>
#include <limits>

namespace netsim {

std::optional<Duration> parse_duration(std::string_view text) {
    std::int64_t value = 0;
    const char* first = text.data();
    const char* last = text.data() + text.size();
    auto [rest, ec] = std::from_chars(first, last, value);
    if (ec != std::errc() || rest == first || value < 0) return std::nullopt;
    std::string_view unit(rest, static_cast<std::size_t>(last - rest));
    std::int64_t scale = 0;
    if (unit == "ns") scale = 1;
    else if (unit == "us") scale = 1'000;
    else if (unit == "ms") scale = 1'000'000;
    else if (unit == "s") scale = 1'000'000'000;
    else if (unit == "m") scale = 60'000'000'000;
    else if (unit == "h") scale = 3'600'000'000'000;
    else return std::nullopt;
    if (value > std::numeric_limits<std::int64_t>::max() / scale) return std::nullopt;
    return Duration::nanoseconds(value * scale);
}

}  // namespace netsim

fmt::format_context::iterator fmt::formatter<netsim::Duration>::format(netsim::Duration d,
                                                                       format_context& ctx) const {
    const std::int64_t ns = d.count_ns();
    std::string text;
    if (ns != 0 && ns % 1'000'000'000 == 0) text = fmt::format("{}s", ns / 1'000'000'000);
    else if (ns != 0 && ns % 1'000'000 == 0) text = fmt::format("{}ms", ns / 1'000'000);
    else if (ns != 0 && ns % 1'000 == 0) text = fmt::format("{}us", ns / 1'000);
    else text = fmt::format("{}ns", ns);
    return fmt::formatter<std::string_view>::format(text, ctx);
}

fmt::format_context::iterator fmt::formatter<netsim::Instant>::format(netsim::Instant t,
                                                                      format_context& ctx) const {
    const std::int64_t ns = t.count_ns();
    const char* sign = ns < 0 ? "-" : "";
    const std::uint64_t magnitude = ns < 0 ? 0 - static_cast<std::uint64_t>(ns) : static_cast<std::uint64_t>(ns);
    std::string text = fmt::format("{}{}.{:09}", sign, magnitude / 1'000'000'000, magnitude % 1'000'000'000);
    return fmt::formatter<std::string_view>::format(text, ctx);
}
