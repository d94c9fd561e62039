// The seed sweep: grouping by signature, first seeds, and the ways a sweep stops.
#include "sim/explore/seed_sweep.h"

#include "tests/support/catch.h"

using namespace netsim::explore;

namespace {
// Fails every 7th seed with "seven", every 10th with "ten" (70 is a "seven").
RunVerdict canary(std::uint64_t seed) {
    if (seed % 7 == 0) return RunVerdict{true, "seven"};
    if (seed % 10 == 0) return RunVerdict{true, "ten"};
    return RunVerdict{false, ""};
}
}  // namespace

TEST_CASE("a sweep groups failures by signature with counts and first seeds", "[explore]") {
    SweepOptions options;
    options.seed_start = 1;
    options.max_runs = 100;
    const SweepReport r = sweep_seeds(canary, options, {});
    REQUIRE(r.runs == 100);
    REQUIRE(r.groups.size() == 2);
    REQUIRE(r.groups[0].signature == "seven");
    REQUIRE(r.groups[0].first_seed == 7);
    REQUIRE(r.groups[0].count == 14);  // 7, 14, ..., 98
    REQUIRE(r.groups[1].signature == "ten");
    REQUIRE(r.groups[1].first_seed == 10);
    REQUIRE(r.groups[1].count == 9);   // 10..100 without 70
    REQUIRE(r.failures == 23);
}

TEST_CASE("a sweep stops at the first failure when asked, or when the caller says so", "[explore]") {
    SweepOptions first;
    first.seed_start = 1;
    first.stop_on_first_failure = true;
    const SweepReport a = sweep_seeds(canary, first, {});
    REQUIRE(a.runs == 7);
    REQUIRE(a.groups.at(0).first_seed == 7);

    std::vector<std::uint64_t> heard;
    const SweepReport b = sweep_seeds(canary, SweepOptions{}, [](std::uint64_t runs) { return runs < 15; },
                                      [&](std::uint64_t seed, const RunVerdict&) { heard.push_back(seed); });
    REQUIRE(b.runs == 15);
    REQUIRE(heard == std::vector<std::uint64_t>{0, 7, 10, 14});
}
