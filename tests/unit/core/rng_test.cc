#include "sim/core/rng.h"

#include "tests/support/catch.h"

#include <array>
#include <vector>

using netsim::Rng;

TEST_CASE("splitmix64 matches its reference output", "[rng]") {
    // Reference: Vigna's splitmix64.c; state 0 gives 0xe220a8397b1dcdaf first.
    std::uint64_t state = 0;
    REQUIRE(netsim::splitmix64_next(state) == 0xe220a8397b1dcdafULL);
    REQUIRE(netsim::splitmix64_next(state) == 0x6e789e6aa1b965f4ULL);
}

TEST_CASE("xoshiro256** matches its reference output for state {1,2,3,4}", "[rng]") {
    Rng rng = Rng::from_state({1, 2, 3, 4});
    REQUIRE(rng.next_u64() == 11520ULL);
    REQUIRE(rng.next_u64() == 0ULL);
    REQUIRE(rng.next_u64() == 1509978240ULL);
    REQUIRE(rng.next_u64() == 1215971899390074240ULL);
}

TEST_CASE("a seeded generator gives fixed outputs (a change of algorithm is caught)", "[rng]") {
    Rng rng(42);
    std::array<std::uint64_t, 3> got{rng.next_u64(), rng.below(1000), static_cast<std::uint64_t>(rng.between(-5, 5))};
    // Recorded from this implementation: seeding is splitmix64(42) x4 into xoshiro256**.
    std::array<std::uint64_t, 3> expected{0x15780b2e0c2ec716ULL, 378, 2};
    Rng again(42);
    REQUIRE(again.next_u64() == got[0]);
    REQUIRE(got == expected);
}

TEST_CASE("streams depend only on (seed, name)", "[rng]") {
    Rng root(7);
    Rng a1 = root.stream("ephemeral_ports");
    root.next_u64();
    root.next_u64();
    Rng a2 = root.stream("ephemeral_ports");
    Rng b = root.stream("network_jitter");
    const std::uint64_t first = a1.next_u64();
    REQUIRE(first == a2.next_u64());
    REQUIRE(first != b.next_u64());
    REQUIRE(Rng(8).stream("ephemeral_ports").next_u64() != first);
}

TEST_CASE("below() stays in range and covers it evenly", "[rng]") {
    Rng rng(1);
    std::array<int, 6> counts{};
    for (int i = 0; i < 60'000; ++i) {
        const std::uint64_t v = rng.below(6);
        REQUIRE(v < 6);
        ++counts[v];
    }
    for (int c : counts) {
        REQUIRE(c > 9'500);
        REQUIRE(c < 10'500);
    }
}

TEST_CASE("between() is inclusive at both ends", "[rng]") {
    Rng rng(3);
    bool saw_lo = false, saw_hi = false;
    for (int i = 0; i < 1000; ++i) {
        const std::int64_t v = rng.between(-2, 2);
        REQUIRE(v >= -2);
        REQUIRE(v <= 2);
        saw_lo |= v == -2;
        saw_hi |= v == 2;
    }
    REQUIRE(saw_lo);
    REQUIRE(saw_hi);
    REQUIRE(rng.between(9, 9) == 9);
}

TEST_CASE("chance() is an integer ratio with exact extremes", "[rng]") {
    Rng rng(5);
    int hits = 0;
    for (int i = 0; i < 100'000; ++i) hits += rng.chance(1, 4) ? 1 : 0;
    REQUIRE(hits > 24'000);
    REQUIRE(hits < 26'000);
    REQUIRE_FALSE(rng.chance(0, 10));
    REQUIRE(rng.chance(10, 10));
}

TEST_CASE("shuffle is a seeded permutation", "[rng]") {
    std::vector<int> a{1, 2, 3, 4, 5, 6, 7, 8};
    std::vector<int> b = a;
    Rng(9).shuffle(std::span<int>(a));
    Rng(9).shuffle(std::span<int>(b));
    REQUIRE(a == b);
    std::vector<int> sorted = a;
    std::sort(sorted.begin(), sorted.end());
    REQUIRE(sorted == std::vector<int>{1, 2, 3, 4, 5, 6, 7, 8});
}
