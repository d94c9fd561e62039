#include "sim/core/event_queue.h"

#include "tests/support/catch.h"

#include <vector>

using namespace netsim;
using namespace netsim::literals;

namespace {
Instant at_ms(std::int64_t ms) { return Instant::at(Duration::milliseconds(ms)); }

void drain(EventQueue& q) {
    while (!q.empty()) q.pop().handler();
}
}  // namespace

TEST_CASE("events pop by time, then by order", "[event_queue]") {
    EventQueue q;
    std::vector<int> ran;
    q.push(at_ms(5), 0, [&] { ran.push_back(1); });
    q.push(at_ms(1), 1, [&] { ran.push_back(2); });
    q.push(at_ms(5), 2, [&] { ran.push_back(3); });
    q.push(at_ms(3), 3, [&] { ran.push_back(4); });
    q.push(at_ms(5), 1, [&] { ran.push_back(5); });
    REQUIRE(q.size() == 5);
    REQUIRE(q.next_time() == at_ms(1));
    drain(q);
    REQUIRE(ran == std::vector<int>{2, 4, 1, 5, 3});
}

TEST_CASE("a cancelled event never runs and cannot be cancelled twice", "[event_queue]") {
    EventQueue q;
    std::vector<int> ran;
    q.push(at_ms(1), 0, [&] { ran.push_back(1); });
    EventId doomed = q.push(at_ms(2), 1, [&] { ran.push_back(2); });
    q.push(at_ms(3), 2, [&] { ran.push_back(3); });
    REQUIRE(q.is_pending(doomed));
    REQUIRE(q.cancel(doomed));
    REQUIRE_FALSE(q.is_pending(doomed));
    REQUIRE_FALSE(q.cancel(doomed));
    REQUIRE(q.size() == 2);
    drain(q);
    REQUIRE(ran == std::vector<int>{1, 3});
}

TEST_CASE("an id of an event that ran does not cancel the event that reuses its slot", "[event_queue]") {
    EventQueue q;
    int ran = 0;
    EventId first = q.push(at_ms(1), 0, [&] { ++ran; });
    q.pop().handler();
    EventId second = q.push(at_ms(2), 1, [&] { ran += 10; });
    REQUIRE(first.slot == second.slot);
    REQUIRE_FALSE(q.cancel(first));
    REQUIRE(q.is_pending(second));
    q.pop().handler();
    REQUIRE(ran == 11);
}

TEST_CASE("a default EventId names no event", "[event_queue]") {
    EventQueue q;
    q.push(at_ms(1), 0, [] {});
    REQUIRE_FALSE(q.cancel(EventId{}));
    REQUIRE(q.size() == 1);
}

TEST_CASE("mass cancellation keeps order and compacts the heap", "[event_queue]") {
    EventQueue q;
    std::vector<EventId> ids;
    std::vector<std::int64_t> ran;
    for (std::int64_t i = 0; i < 10'000; ++i)
        ids.push_back(q.push(at_ms(10'000 - i), static_cast<std::uint64_t>(i), [&ran, i] { ran.push_back(i); }));
    for (std::size_t i = 0; i < ids.size(); ++i)
        if (i % 10 != 0) REQUIRE(q.cancel(ids[i]));
    REQUIRE(q.size() == 1'000);
    while (!q.empty()) q.pop().handler();
    REQUIRE(ran.size() == 1'000);
    for (std::size_t i = 1; i < ran.size(); ++i) REQUIRE(ran[i - 1] > ran[i]);
}
