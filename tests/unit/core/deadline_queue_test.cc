#include "sim/core/deadline_queue.h"

#include "tests/support/catch.h"

#include <set>
#include <utility>
#include <vector>

using namespace netsim;
using namespace netsim::literals;

namespace {
struct Owner {
    Simulation sim{SimulationOptions{}};
    std::set<std::uint32_t> pending;
    std::vector<std::pair<std::int64_t, std::uint32_t>> expired;  // (instant ns, id)
    DeadlineQueue deadlines{sim, [this](std::uint32_t id) { return pending.contains(id); },
                            [this](std::uint32_t id) {
                                expired.emplace_back(sim.now().count_ns(), id);
                                pending.erase(id);
                            }};
    void start(std::uint32_t id, Duration timeout) {
        pending.insert(id);
        deadlines.add(sim.now() + timeout, id);
    }
};
}  // namespace

TEST_CASE("deadlines expire at their instant, in deadline order, ties in the order added", "[deadline_queue]") {
    Owner o;
    o.start(1, 30_ms);
    o.start(2, 10_ms);  // earlier than the one before it: the heap path
    o.start(3, 30_ms);  // ties with 1, added after it
    o.start(4, 20_ms);
    o.sim.run();
    const std::vector<std::pair<std::int64_t, std::uint32_t>> want{
        {10'000'000, 2}, {20'000'000, 4}, {30'000'000, 1}, {30'000'000, 3}};
    REQUIRE(o.expired == want);
}

TEST_CASE("an id that ended before its deadline never expires", "[deadline_queue]") {
    Owner o;
    o.start(1, 10_ms);
    o.start(2, 10_ms);
    o.start(3, 5_ms);
    o.pending.erase(1);
    o.pending.erase(3);
    o.sim.run();
    REQUIRE(o.expired == std::vector<std::pair<std::int64_t, std::uint32_t>>{{10'000'000, 2}});
}

TEST_CASE("calls that end quickly cost no event each: the one event fires about once per timeout", "[deadline_queue]") {
    // 10,000 calls, one every 100 us, each ending 2 ms after it starts, with a 1 s timeout: one
    // event per call would be 10,000 deadline events.
    Owner o;
    std::uint32_t next = 1;
    for (int i = 0; i < 10'000; ++i) {
        o.sim.schedule_at(Instant::at(Duration::microseconds(100 * i)), [&o, &next] {
            const std::uint32_t id = next++;
            o.start(id, 1_s);
            o.sim.schedule_after(2_ms, [&o, id] { o.pending.erase(id); });
        });
    }
    o.sim.run();
    REQUIRE(o.expired.empty());
    const std::uint64_t deadline_events = o.sim.events_executed() - 2 * 10'000;
    INFO("deadline events: " << deadline_events);
    REQUIRE(deadline_events <= 3);
}

TEST_CASE("a deadline added while others expire is kept", "[deadline_queue]") {
    Simulation sim{SimulationOptions{}};
    std::set<std::uint32_t> pending{1};
    std::vector<std::uint32_t> expired;
    DeadlineQueue* queue = nullptr;
    DeadlineQueue deadlines{sim, [&](std::uint32_t id) { return pending.contains(id); },
                            [&](std::uint32_t id) {
                                expired.push_back(id);
                                pending.erase(id);
                                if (id == 1) {  // a retry with its own deadline
                                    pending.insert(2);
                                    queue->add(sim.now() + 5_ms, 2);
                                }
                            }};
    queue = &deadlines;
    deadlines.add(Instant::at(1_ms), 1);
    sim.run();
    REQUIRE(expired == std::vector<std::uint32_t>{1, 2});
    REQUIRE(sim.now() == Instant::at(6_ms));
}
