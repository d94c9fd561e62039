#include "sim/core/sequence_map.h"

#include "tests/support/catch.h"

#include <map>
#include <string>
#include <vector>

using namespace netsim;

TEST_CASE("a sequence map finds, erases and iterates its entries in key order", "[sequence_map]") {
    SequenceMap<std::string> m;
    REQUIRE(m.empty());
    REQUIRE(m.find(1) == nullptr);
    m.insert(3, "c");
    m.insert(4, "d");
    m.insert(9, "i");  // keys may skip
    REQUIRE(m.size() == 3);
    REQUIRE(*m.find(4) == "d");
    REQUIRE(m.find(5) == nullptr);
    REQUIRE(m.find(2) == nullptr);
    REQUIRE(m.find(10) == nullptr);
    REQUIRE(m.erase(4));
    REQUIRE_FALSE(m.erase(4));
    REQUIRE(m.keys() == std::vector<std::uint64_t>{3, 9});
    REQUIRE(m.erase(3));  // the window moves past the erased front
    REQUIRE(m.keys() == std::vector<std::uint64_t>{9});
    REQUIRE(m.erase(9));
    REQUIRE(m.empty());
    m.insert(100, "new window");
    REQUIRE(*m.find(100) == "new window");
    REQUIRE(m.find(9) == nullptr);
}

TEST_CASE("a sequence map agrees with std::map over a random workload that wraps its ring", "[sequence_map]") {
    SequenceMap<std::uint64_t> m;
    std::map<std::uint64_t, std::uint64_t> reference;
    std::uint64_t next = 1;
    std::uint64_t state = 12345;
    const auto draw = [&] {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        return state >> 33;
    };
    for (int step = 0; step < 20000; ++step) {
        const std::uint64_t r = draw() % 10;
        if (r < 5 || reference.empty()) {
            next += draw() % 3;  // sometimes skip keys
            m.insert(next, next * 7);
            reference.emplace(next, next * 7);
            ++next;
        } else {
            // Erase mostly old entries (as RPCs end), sometimes a random one.
            auto it = reference.begin();
            if (r == 9) std::advance(it, static_cast<std::ptrdiff_t>(draw() % reference.size()));
            REQUIRE(m.erase(it->first));
            reference.erase(it);
        }
        REQUIRE(m.size() == reference.size());
        if (step % 97 == 0) {
            std::vector<std::pair<std::uint64_t, std::uint64_t>> seen;
            m.for_each([&](std::uint64_t k, const std::uint64_t& v) { seen.emplace_back(k, v); });
            REQUIRE(seen == std::vector<std::pair<std::uint64_t, std::uint64_t>>(reference.begin(), reference.end()));
            const std::uint64_t probe = draw() % (next + 2);
            REQUIRE((m.find(probe) != nullptr) == reference.contains(probe));
        }
    }
}
