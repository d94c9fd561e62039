// Integer-only uniform and exponential delays (see random_delay.h).
#include "sim/core/random_delay.h"

#include "sim/core/check.h"

#include <array>
#include <bit>
#include <cstddef>

namespace netsim {

namespace {

__extension__ using Uint128 = unsigned __int128;

// log2(x) in Q32 fixed point for x >= 1: the integer part from the bit width, 32 fractional
// bits by repeated squaring of the mantissa (kept in [1, 2) as Q31). Used at compile time only.
constexpr std::uint64_t log2_q32(std::uint64_t x) {
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

// ln(1 + i/256) in Q32 and 256 / (256 + i) in Q32, for the 8 mantissa bits after the leading one.
struct LogTable {
    std::array<std::uint64_t, 256> ln_base{};
    std::array<std::uint64_t, 256> inverse_base{};
};

constexpr LogTable make_log_table() {
    LogTable t;
    for (std::uint64_t i = 0; i < 256; ++i) {
        const std::uint64_t log2_fraction = log2_q32((256 + i) << 24) & 0xffffffffu;  // log2(1 + i/256)
        t.ln_base[i] = static_cast<std::uint64_t>((static_cast<Uint128>(log2_fraction) * ln2_q32) >> 32);
        t.inverse_base[i] = (std::uint64_t{256} << 32) / (256 + i);
    }
    return t;
}

constexpr LogTable log_table = make_log_table();

// ln(x) in Q32 for x >= 1: ln x = e ln 2 + ln(1 + i/256) + ln(1 + r), with x = 2^e (1 + i/256 + f)
// and r = f / (1 + i/256) < 2^-8, the last term as r - r^2/2 + r^3/3 (error below 2^-34).
std::uint64_t ln_q32(std::uint64_t x) {
    const int whole = 63 - std::countl_zero(x);
    const std::uint64_t m = x << (63 - whole);  // Q63, in [1, 2)
    const std::size_t i = (m >> 55) & 0xff;
    const std::uint64_t f = m & ((std::uint64_t{1} << 55) - 1);  // Q63, < 2^-8
    const auto r = static_cast<std::uint64_t>((static_cast<Uint128>(f << 1) * log_table.inverse_base[i]) >> 32);  // Q64
    const auto r2 = static_cast<std::uint64_t>((static_cast<Uint128>(r) * r) >> 64);
    const auto r3 = static_cast<std::uint64_t>((static_cast<Uint128>(r2) * r) >> 64);
    const std::uint64_t ln1p = (r - r2 / 2 + r3 / 3) >> 32;  // Q32
    return static_cast<std::uint64_t>(whole) * ln2_q32 + log_table.ln_base[i] + ln1p;
}

}  // namespace

Duration uniform_delay(Rng& rng, Duration low, Duration high) {
    NETSIM_CHECK_OP(low, <=, high);
    return Duration::nanoseconds(rng.between(low.count_ns(), high.count_ns()));
}

Duration exponential_delay(Rng& rng, Duration mean) {
    NETSIM_CHECK_OP(mean, >, Duration::zero());
    // U = x / 2^64 with x in [1, 2^64); -ln(U) = 64 ln 2 - ln x.
    const std::uint64_t x = rng.next_u64() | 1;
    const std::uint64_t ln_x = ln_q32(x);
    const std::uint64_t ln_2_64 = 64 * ln2_q32;
    const std::uint64_t minus_ln_u = ln_x >= ln_2_64 ? 0 : ln_2_64 - ln_x;  // Q32, < 2^38
    const auto ns = (static_cast<Uint128>(static_cast<std::uint64_t>(mean.count_ns())) * minus_ln_u) >> 32;
    return Duration::nanoseconds(static_cast<std::int64_t>(ns));
}

}  // namespace netsim
