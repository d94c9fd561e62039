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

}  // namespace

TEST_CASE("an open index agrees with a map over random inserts and erases", "[open_index]") {
    for (const std::uint64_t seed : {11, 12, 13}) {
        OpenIndex<std::uint32_t, ClusteringHash> index;
        std::map<std::uint32_t, std::uint32_t> reference;
        netsim::Rng rng(seed);
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
