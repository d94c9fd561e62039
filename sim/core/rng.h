// The simulation's only source of randomness: xoshiro256** (Blackman & Vigna, 2018) seeded
// through splitmix64, with bounded-integer and probability helpers written here so that the
// output for a seed is the same with every standard library (no std::*_distribution).
// `stream(name)` derives an independent generator from the root seed and a name, so components
// draw from their own streams and a change in one component's draws never reshuffles another's.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>
#include <utility>

namespace netsim {

// One step of splitmix64: advances `state` and returns the next output.
std::uint64_t splitmix64_next(std::uint64_t& state);

class Rng {
public:
    explicit Rng(std::uint64_t seed);
    // A generator with this exact xoshiro256** state (for checking published test vectors).
    static Rng from_state(const std::array<std::uint64_t, 4>& state);

    // A generator for the named stream of this generator's seed. Depends only on (seed, name),
    // never on how much this generator has been drawn from.
    Rng stream(std::string_view name) const;

    std::uint64_t seed() const { return seed_; }

    std::uint64_t next_u64();
    // Uniform in [0, bound); bound must be > 0. Lemire's multiply-shift with rejection: unbiased.
    std::uint64_t below(std::uint64_t bound);
    // Uniform in [lo, hi], both inclusive; lo <= hi.
    std::int64_t between(std::int64_t lo, std::int64_t hi);
    // True with probability numerator / denominator (integer ratio, no floating point).
    bool chance(std::uint64_t numerator, std::uint64_t denominator);

    template <typename T>
    void shuffle(std::span<T> items) {
        for (std::size_t i = items.size(); i > 1; --i) {
            std::size_t j = static_cast<std::size_t>(below(i));
            std::swap(items[i - 1], items[j]);
        }
    }

private:
    std::uint64_t seed_;
    std::array<std::uint64_t, 4> s_{};
};

}  // namespace netsim
