#include "tests/determinism/kernel_workload.h"

#include "tests/support/catch.h"

#include <set>

using netsim::testing::run_kernel_workload;

TEST_CASE("the kernel workload is a pure function of its seed", "[determinism][kernel]") {
    std::set<std::uint64_t> distinct;
    std::uint64_t failed_binds = 0, connections = 0, failed_connects = 0;
    for (std::uint64_t seed = 0; seed < 30; ++seed) {
        const auto a = run_kernel_workload(seed);
        const auto b = run_kernel_workload(seed);
        REQUIRE(a.trace_hash == b.trace_hash);
        REQUIRE(a.connections == b.connections);
        distinct.insert(a.trace_hash);
        failed_binds += a.failed_binds;
        connections += a.connections;
        failed_connects += a.failed_connects;
    }
    REQUIRE(distinct.size() == 30);
    // The workload does reach the behaviours it exists for.
    REQUIRE(connections > 1000);
    REQUIRE(failed_connects > 10);
    REQUIRE(failed_binds > 0);
}
