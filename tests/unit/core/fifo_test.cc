#include "sim/core/fifo.h"

#include "tests/support/catch.h"

#include <vector>

using netsim::Fifo;

TEST_CASE("a fifo hands elements back in insertion order across compactions", "[fifo]") {
    Fifo<int> q;
    REQUIRE(q.empty());
    int next_in = 0, next_out = 0;
    // Interleave pushes and pops so the head passes half the storage many times.
    for (int round = 0; round < 200; ++round) {
        for (int i = 0; i < 3; ++i) q.push_back(next_in++);
        for (int i = 0; i < 2; ++i) {
            REQUIRE(q.front() == next_out);
            q.pop_front();
            ++next_out;
        }
        REQUIRE(q.size() == static_cast<std::size_t>(next_in - next_out));
    }
    std::vector<int> rest(q.begin(), q.end());
    REQUIRE(rest.size() == q.size());
    for (std::size_t i = 0; i < rest.size(); ++i) REQUIRE(rest[i] == next_out + static_cast<int>(i));
    const std::vector<int> taken = q.take_all();
    REQUIRE(taken == rest);
    REQUIRE(q.empty());
    q.emplace_back(7);
    REQUIRE(q.front() == 7);
}
