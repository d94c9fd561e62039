// Integer-only uniform and exponential delays (see random_delay.h).
#include "sim/core/random_delay.h"

#include "sim/core/check.h"

#include <bit>

namespace netsim {

namespace {

__extension__ using Uint128 = unsigned __int128;

// log2(x) in Q32 fixed point for x >= 1: the integer part from the bit width, 32 fractional
// bits by repeated squaring of the mantissa (kept in [1, 2) as Q31).
std::uint64_t log2_q32(std::uint64_t x) {
    const int whole = 63 - std::countl_zero(x);
    std::uint64_t m = whole >= 31 ? x >> (whole - 31) : x << (31 - whole);  // y = m / 2^31 in [1, 2)
    std::uint64_t fraction = 0;
    for (int bit = 31; bit >= 0; --bit) {
        m = static_cast<std::uint64_t>((static_cast<Uint128>(m) * m) >> 31);
        if (m >= (std::uint64_t{1} << 32)) {
            m >>= 1;
            fraction |= std::uint64_t{1} << bit;
        }
    }
    return (static_cast<std::uint64_t>(whole) << 32) | fraction;
}

constexpr std::uint64_t ln2_q32 = 2977044472;  // ln(2) * 2^32, rounded

}  // namespace

Duration uniform_delay(Rng& rng, Duration low, Duration high) {
    NETSIM_CHECK_OP(low, <=, high);
    return Duration::nanoseconds(rng.between(low.count_ns(), high.count_ns()));
}

Duration exponential_delay(Rng& rng, Duration mean) {
    NETSIM_CHECK_OP(mean, >, Duration::zero());
    // U = x / 2^64 with x in [1, 2^64); -ln(U) = (64 - log2 x) * ln 2.
    const std::uint64_t x = rng.next_u64() | 1;
    const std::uint64_t minus_log2_u = (std::uint64_t{64} << 32) - log2_q32(x);  // Q32, < 2^39
    const auto minus_ln_u = static_cast<std::uint64_t>((static_cast<Uint128>(minus_log2_u) * ln2_q32) >> 32);
    const auto ns = (static_cast<Uint128>(static_cast<std::uint64_t>(mean.count_ns())) * minus_ln_u) >> 32;
    return Duration::nanoseconds(static_cast<std::int64_t>(ns));
}

}  // namespace netsim
