// Virtual time: `Duration` (a signed span) and `Instant` (a point since the start of a run),
// both whole nanoseconds in 64 bits (about 292 years of range). Nothing here reads a clock:
// virtual time only moves when the Simulation runs an event.
#pragma once

#include <fmt/format.h>

#include <compare>
#include <cstdint>
#include <optional>
#include <string_view>

namespace netsim {

class Duration {
public:
    constexpr Duration() = default;
    static constexpr Duration nanoseconds(std::int64_t n) { return Duration(n); }
    static constexpr Duration microseconds(std::int64_t n) { return Duration(n * 1'000); }
    static constexpr Duration milliseconds(std::int64_t n) { return Duration(n * 1'000'000); }
    static constexpr Duration seconds(std::int64_t n) { return Duration(n * 1'000'000'000); }
    static constexpr Duration zero() { return Duration(0); }
    static constexpr Duration max() { return Duration(INT64_MAX); }

    constexpr std::int64_t count_ns() const { return ns_; }
    constexpr std::int64_t whole_ms() const { return ns_ / 1'000'000; }

    constexpr auto operator<=>(const Duration&) const = default;
    constexpr Duration operator+(Duration o) const { return Duration(ns_ + o.ns_); }
    constexpr Duration operator-(Duration o) const { return Duration(ns_ - o.ns_); }
    constexpr Duration operator*(std::int64_t k) const { return Duration(ns_ * k); }
    constexpr Duration operator/(std::int64_t k) const { return Duration(ns_ / k); }
    constexpr Duration& operator+=(Duration o) { ns_ += o.ns_; return *this; }

private:
    constexpr explicit Duration(std::int64_t ns) : ns_(ns) {}
    std::int64_t ns_ = 0;
};

class Instant {
public:
    constexpr Instant() = default;
    // The instant `d` after the start of the run.
    static constexpr Instant at(Duration since_start) { return Instant(since_start.count_ns()); }
    static constexpr Instant start() { return Instant(0); }
    static constexpr Instant max() { return Instant(INT64_MAX); }

    constexpr std::int64_t count_ns() const { return ns_; }
    constexpr Duration since_start() const { return Duration::nanoseconds(ns_); }

    constexpr auto operator<=>(const Instant&) const = default;
    // Saturates at Instant::max() so that "now + a huge timeout" never wraps around.
    constexpr Instant operator+(Duration d) const {
        if (d.count_ns() > 0 && ns_ > INT64_MAX - d.count_ns()) return max();
        return Instant(ns_ + d.count_ns());
    }
    constexpr Instant operator-(Duration d) const { return Instant(ns_ - d.count_ns()); }
    constexpr Duration operator-(Instant o) const { return Duration::nanoseconds(ns_ - o.ns_); }

private:
    constexpr explicit Instant(std::int64_t ns) : ns_(ns) {}
    std::int64_t ns_ = 0;
};

// Parses "250ms", "2s", "61s", "1500us", "10ns", "3m" (minutes), "1h". Whole numbers only.
std::optional<Duration> parse_duration(std::string_view text);

namespace literals {
constexpr Duration operator""_ns(unsigned long long n) { return Duration::nanoseconds(static_cast<std::int64_t>(n)); }
constexpr Duration operator""_us(unsigned long long n) { return Duration::microseconds(static_cast<std::int64_t>(n)); }
constexpr Duration operator""_ms(unsigned long long n) { return Duration::milliseconds(static_cast<std::int64_t>(n)); }
constexpr Duration operator""_s(unsigned long long n) { return Duration::seconds(static_cast<std::int64_t>(n)); }
}  // namespace literals

}  // namespace netsim

// A Duration prints in the largest unit that represents it exactly: "250ms", "60s", "1500us".
template <>
struct fmt::formatter<netsim::Duration> : fmt::formatter<std::string_view> {
    format_context::iterator format(netsim::Duration d, format_context& ctx) const;
};

// An Instant prints as seconds since the start with nanosecond precision: "61.000250000".
template <>
struct fmt::formatter<netsim::Instant> : fmt::formatter<std::string_view> {
    format_context::iterator format(netsim::Instant t, format_context& ctx) const;
};
