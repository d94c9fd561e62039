#include "tests/determinism/synthetic_workload.h"

#include "tests/support/catch.h"

#include <set>

using netsim::testing::run_synthetic_workload;
using netsim::testing::SyntheticWorkload;

TEST_CASE("the same seed gives the same trace hash, different seeds different hashes, over 1000 seeds",
          "[determinism]") {
    SyntheticWorkload workload;
    workload.events = 2'000;
    std::set<std::uint64_t> distinct;
    for (std::uint64_t seed = 0; seed < 1000; ++seed) {
        const std::uint64_t first = run_synthetic_workload(seed, workload);
        const std::uint64_t second = run_synthetic_workload(seed, workload);
        REQUIRE(first == second);
        distinct.insert(first);
    }
    REQUIRE(distinct.size() == 1000);
}

TEST_CASE("tie-shuffling is itself deterministic and changes same-time order", "[determinism]") {
    SyntheticWorkload plain;
    SyntheticWorkload shuffled;
    shuffled.shuffle_ties = true;
    int orders_differ = 0;
    for (std::uint64_t seed = 0; seed < 50; ++seed) {
        const std::uint64_t a = run_synthetic_workload(seed, shuffled);
        REQUIRE(a == run_synthetic_workload(seed, shuffled));
        if (a != run_synthetic_workload(seed, plain)) ++orders_differ;
    }
    REQUIRE(orders_differ == 50);
}
