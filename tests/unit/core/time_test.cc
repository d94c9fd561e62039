#include "sim/core/time.h"

#include "tests/support/catch.h"

using namespace netsim;
using namespace netsim::literals;

TEST_CASE("durations are whole nanoseconds with unit helpers and literals", "[time]") {
    REQUIRE(250_ms == Duration::milliseconds(250));
    REQUIRE((60_s).count_ns() == 60'000'000'000);
    REQUIRE(1_s + 500_ms == Duration::microseconds(1'500'000));
    REQUIRE(2_s * 3 == 6_s);
    REQUIRE(Duration::seconds(1) > 999_ms);
}

TEST_CASE("durations print in the largest exact unit", "[time]") {
    REQUIRE(fmt::format("{}", 250_ms) == "250ms");
    REQUIRE(fmt::format("{}", 60_s) == "60s");
    REQUIRE(fmt::format("{}", 1500_us) == "1500us");
    REQUIRE(fmt::format("{}", 7_ns) == "7ns");
    REQUIRE(fmt::format("{}", Duration::zero()) == "0ns");
}

TEST_CASE("instants print as seconds with nanosecond precision", "[time]") {
    REQUIRE(fmt::format("{}", Instant::start()) == "0.000000000");
    REQUIRE(fmt::format("{}", Instant::at(61_s + 250_us)) == "61.000250000");
}

TEST_CASE("instant arithmetic saturates instead of wrapping", "[time]") {
    const Instant t = Instant::at(5_s);
    REQUIRE(t + 1_s == Instant::at(6_s));
    REQUIRE(Instant::at(6_s) - t == 1_s);
    REQUIRE(t + Duration::max() == Instant::max());
}

TEST_CASE("durations parse from the script and scenario syntax", "[time]") {
    REQUIRE(parse_duration("250ms") == 250_ms);
    REQUIRE(parse_duration("61s") == 61_s);
    REQUIRE(parse_duration("1500us") == 1500_us);
    REQUIRE(parse_duration("3m") == 180_s);
    REQUIRE_FALSE(parse_duration("ms").has_value());
    REQUIRE_FALSE(parse_duration("10").has_value());
    REQUIRE_FALSE(parse_duration("-1s").has_value());
    REQUIRE_FALSE(parse_duration("1.5s").has_value());
    REQUIRE_FALSE(parse_duration("99999999999999999h").has_value());
}
