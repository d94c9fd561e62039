#include "sim/core/rng.h"

#include "sim/core/check.h"
#include "sim/core/hash.h"

namespace netsim {

namespace {
__extension__ using Uint128 = unsigned __int128;
constexpr std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
}  // namespace

std::uint64_t splitmix64_next(std::uint64_t& state) {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

Rng::Rng(std::uint64_t seed) : seed_(seed) {
    std::uint64_t sm = seed;
    for (auto& word : s_) word = splitmix64_next(sm);
}

Rng Rng::from_state(const std::array<std::uint64_t, 4>& state) {
    Rng rng(0);
    rng.s_ = state;
    return rng;
}

Rng Rng::stream(std::string_view name) const {
    Fnv1a64 h;
    h.add_u64(seed_);
    h.add_string(name);
    return Rng(h.value());
}

std::uint64_t Rng::next_u64() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
}

std::uint64_t Rng::below(std::uint64_t bound) {
    NETSIM_CHECK(bound > 0);
    Uint128 m = static_cast<Uint128>(next_u64()) * bound;
    auto low = static_cast<std::uint64_t>(m);
    if (low < bound) {
        const std::uint64_t threshold = (0 - bound) % bound;
        while (low < threshold) {
            m = static_cast<Uint128>(next_u64()) * bound;
            low = static_cast<std::uint64_t>(m);
        }
    }
    return static_cast<std::uint64_t>(m >> 64);
}

std::int64_t Rng::between(std::int64_t lo, std::int64_t hi) {
    NETSIM_CHECK_OP(lo, <=, hi);
    const std::uint64_t span = static_cast<std::uint64_t>(hi) - static_cast<std::uint64_t>(lo);
    if (span == UINT64_MAX) return static_cast<std::int64_t>(next_u64());
    return static_cast<std::int64_t>(static_cast<std::uint64_t>(lo) + below(span + 1));
}

bool Rng::chance(std::uint64_t numerator, std::uint64_t denominator) {
    NETSIM_CHECK(denominator > 0);
    NETSIM_CHECK_OP(numerator, <=, denominator);
    if (numerator == 0) return false;
    if (numerator == denominator) return true;
    return below(denominator) < numerator;
}

}  // namespace netsim
