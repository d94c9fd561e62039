#include "sim/core/open_index.h"

#include "sim/core/rng.h"
#include "tests/support/catch.h"

#include <cstdint>
#include <map>

using netsim::OpenIndex;

namespace {

// A poor hash on purpose: keys collide in long probe runs, so lookups walk them and erasures
// shift them back.
struct ClusteringHash {
    static std::uint64_t of(std::uint32_t key) { return key % 7; }
};
struct PlainHash {
    static std::uint64_t of(std::uint32_t key) { return key; }
};

}  // namespace

TEST_CASE("an open index built with room for N keys holds N keys without growing", "[open_index]") {
    OpenIndex<std::uint32_t, PlainHash> index(96);
    const std::size_t room = index.capacity();
    REQUIRE(room >= 96);
    REQUIRE(room < 2 * 96);
    for (std::uint32_t k = 0; k < 96; ++k) REQUIRE(index.insert(k * 1000, k));
    REQUIRE(index.capacity() == room);
    for (std::uint32_t k = 0; k < 96; ++k) REQUIRE(index.find(k * 1000) == k);
    REQUIRE_FALSE(index.find(7).has_value());
    // One key past the room grows the table and keeps every key.
    for (std::uint32_t k = 96; k <= room; ++k) REQUIRE(index.insert(k * 1000, k));
    REQUIRE(index.capacity() > room);
    for (std::uint32_t k = 0; k <= room; ++k) REQUIRE(index.find(k * 1000) == k);
}

TEST_CASE("an open index agrees with a map over random inserts and erases, sized or not", "[open_index]") {
    for (const std::size_t capacity : {std::size_t{0}, std::size_t{1}, std::size_t{40}}) {
        OpenIndex<std::uint32_t, ClusteringHash> index(capacity);
        std::map<std::uint32_t, std::uint32_t> reference;
        netsim::Rng rng(capacity + 11);
        for (std::uint32_t step = 0; step < 20000; ++step) {
            const auto key = static_cast<std::uint32_t>(rng.below(200));
            if (rng.below(2) == 0) {
                REQUIRE(index.insert(key, step) == reference.emplace(key, step).second);
            } else {
                REQUIRE(index.erase(key) == (reference.erase(key) == 1));
            }
            REQUIRE(index.size() == reference.size());
            const auto probe = static_cast<std::uint32_t>(rng.below(200));
            const auto it = reference.find(probe);
            if (it == reference.end()) REQUIRE_FALSE(index.find(probe).has_value());
            else REQUIRE(index.find(probe) == it->second);
        }
    }
}
