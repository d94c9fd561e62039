#include "sim/core/event_queue.h"

#include "sim/core/rng.h"
#include "tests/support/catch.h"

#include <map>
#include <memory>
#include <set>
#include <stdexcept>
#include <vector>

using namespace netsim;
using namespace netsim::literals;

namespace {
Instant at_ms(std::int64_t ms) { return Instant::at(Duration::milliseconds(ms)); }

void drain(EventQueue& q) {
    while (!q.empty()) q.pop().handler();
}

// An EventQueue beside a reference set of its pending (time, order) keys: run_one() checks that
// the queue runs the earliest one. Orders are sequence numbers, or seeded random values above
// them (`shuffled`), as the Simulation gives.
struct CheckedQueue {
    explicit CheckedQueue(bool shuffled_orders, std::uint64_t seed) : rng(seed), shuffled(shuffled_orders) {}

    void schedule(std::int64_t at_ns) {
        const std::uint64_t order = shuffled ? (rng.next_u64() << 20 | ++sequence) : ++sequence;
        const auto key = std::make_pair(at_ns, order);
        pending.insert(key);
        ids[key] = q.push(Instant::at(Duration::nanoseconds(at_ns)), order, [this, key] { ran = key; });
    }
    void run_one() {
        q.run_next(clock);
        REQUIRE(ran == *pending.begin());
        pending.erase(pending.begin());
        ids.erase(ran);
    }
    // Cancels up to `n` pending events chosen at random.
    void cancel_some(std::size_t n) {
        for (; n > 0 && !pending.empty(); --n) {
            auto victim = std::next(pending.begin(), static_cast<std::ptrdiff_t>(rng.below(pending.size())));
            REQUIRE(q.cancel(ids.at(*victim)));
            ids.erase(*victim);
            pending.erase(victim);
        }
    }
    std::int64_t now() const { return clock.count_ns(); }

    Rng rng;
    bool shuffled;
    EventQueue q;
    std::set<std::pair<std::int64_t, std::uint64_t>> pending;
    std::map<std::pair<std::int64_t, std::uint64_t>, EventId> ids;
    std::uint64_t sequence = 0;
    Instant clock = Instant::start();
    std::pair<std::int64_t, std::uint64_t> ran;
};
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

TEST_CASE("run_next runs the handler in place while it schedules enough events to grow the storage",
          "[event_queue]") {
    EventQueue q;
    Instant clock;
    std::vector<std::uint64_t> seen;
    struct Big {
        EventQueue* q;
        std::vector<std::uint64_t>* seen;
        std::uint64_t a = 1, b = 2, c = 3, d = 4;
        void operator()() const {
            // Thousands of pushes grow the slot storage and the heap under the running handler;
            // its captures must still read back intact afterwards.
            for (std::uint64_t i = 0; i < 5'000; ++i) q->push(at_ms(2), i, [] {});
            seen->insert(seen->end(), {a, b, c, d});
        }
    };
    static_assert(sizeof(Big) == 48);
    q.push(at_ms(1), 0, Big{&q, &seen});
    q.run_next(clock);
    REQUIRE(clock == at_ms(1));
    REQUIRE(seen == std::vector<std::uint64_t>{1, 2, 3, 4});
    REQUIRE(q.size() == 5'000);
    while (!q.empty()) q.run_next(clock);
    REQUIRE(clock == at_ms(2));
}

TEST_CASE("a running handler's own id is no longer pending and cancelling it is a no-op", "[event_queue]") {
    EventQueue q;
    Instant clock;
    EventId self;
    EventId other;
    bool self_pending = true;
    bool self_cancelled = true;
    int ran = 0;
    self = q.push(at_ms(1), 0, [&] {
        ++ran;
        self_pending = q.is_pending(self);
        self_cancelled = q.cancel(self);
        // The running event's slot is not handed out while it runs.
        other = q.push(at_ms(2), 1, [&] { ++ran; });
        REQUIRE(other.slot != self.slot);
    });
    q.run_next(clock);
    REQUIRE_FALSE(self_pending);
    REQUIRE_FALSE(self_cancelled);
    REQUIRE(q.size() == 1);
    REQUIRE(q.is_pending(other));
    q.run_next(clock);
    REQUIRE(ran == 2);
    REQUIRE(q.empty());
}

TEST_CASE("a handler may cancel pending events, including ones due at the same time", "[event_queue]") {
    EventQueue q;
    Instant clock;
    std::vector<int> ran;
    EventId victim;
    q.push(at_ms(1), 0, [&] {
        ran.push_back(1);
        REQUIRE(q.cancel(victim));
    });
    victim = q.push(at_ms(1), 1, [&] { ran.push_back(2); });
    q.push(at_ms(1), 2, [&] { ran.push_back(3); });
    while (!q.empty()) q.run_next(clock);
    REQUIRE(ran == std::vector<int>{1, 3});
}

TEST_CASE("an id of a cancelled event does not cancel the event that reuses its slot", "[event_queue]") {
    EventQueue q;
    Instant clock;
    int ran = 0;
    EventId first = q.push(at_ms(1), 0, [&] { ran += 1; });
    REQUIRE(q.cancel(first));
    q.push(at_ms(2), 1, [&] { ran += 10; });
    // The cancelled key has surfaced and been dropped by now, so its slot is free again.
    q.run_next(clock);
    EventId a = q.push(at_ms(3), 2, [&] { ran += 100; });
    EventId b = q.push(at_ms(4), 3, [&] { ran += 1000; });
    REQUIRE((a.slot == first.slot || b.slot == first.slot));
    REQUIRE_FALSE(q.cancel(first));
    REQUIRE(q.is_pending(a));
    REQUIRE(q.is_pending(b));
    while (!q.empty()) q.run_next(clock);
    REQUIRE(ran == 1110);
}

TEST_CASE("equal (time, order) keys pop in slot order, never by address", "[event_queue]") {
    std::vector<int> ran;
    EventQueue q;
    EventId a = q.push(at_ms(1), 7, [&] { ran.push_back(1); });
    EventId b = q.push(at_ms(1), 7, [&] { ran.push_back(2); });
    REQUIRE(a.slot < b.slot);
    drain(q);
    REQUIRE(ran == std::vector<int>{1, 2});
}

TEST_CASE("handlers that own resources are moved, run and destroyed exactly once", "[event_queue]") {
    EventQueue q;
    Instant clock;
    auto token = std::make_shared<int>(42);
    int sum = 0;
    q.push(at_ms(1), 0, [token, &sum] { sum += *token; });
    q.push(at_ms(2), 1, [owned = std::make_unique<int>(7), &sum] { sum += *owned; });
    EventId cancelled = q.push(at_ms(3), 2, [token] {});
    REQUIRE(token.use_count() == 3);
    REQUIRE(q.cancel(cancelled));
    REQUIRE(token.use_count() == 2);
    q.run_next(clock);
    REQUIRE(token.use_count() == 1);
    q.pop().handler();
    REQUIRE(sum == 49);
}

TEST_CASE("handlers built in their slots (emplace) own, run and free exactly as pushed ones do", "[event_queue]") {
    EventQueue q;
    Instant clock;
    auto token = std::make_shared<int>(42);
    int sum = 0;
    q.emplace(at_ms(2), 1, [owned = std::make_unique<int>(7), &sum] { sum += *owned; });
    q.emplace(at_ms(1), 0, [token, &sum] { sum += *token; });
    EventId cancelled = q.emplace(at_ms(3), 2, [token] {});
    const EventId pushed = q.push(at_ms(1), 0, [&sum] { sum *= 10; });
    REQUIRE(token.use_count() == 3);
    REQUIRE(q.cancel(cancelled));
    REQUIRE(token.use_count() == 2);
    // (1 ms, order 0) twice: the earlier slot first, whichever way each was filed.
    q.run_next(clock);
    REQUIRE(sum == 42);
    REQUIRE(token.use_count() == 1);
    REQUIRE(q.is_pending(pushed));
    q.run_next(clock);
    REQUIRE(sum == 420);
    q.run_next(clock);
    REQUIRE(sum == 427);
    REQUIRE(q.empty());
    // Slots freed by runs and by the cancellation take new handlers.
    EventId reused = q.emplace(at_ms(4), 3, [&sum] { sum = 0; });
    q.run_next(clock);
    REQUIRE_FALSE(q.is_pending(reused));
    REQUIRE(sum == 0);
}

TEST_CASE("a handler that throws still frees its slot", "[event_queue]") {
    EventQueue q;
    Instant clock;
    EventId thrower = q.push(at_ms(1), 0, [] { throw std::runtime_error("boom"); });
    REQUIRE_THROWS_AS(q.run_next(clock), std::runtime_error);
    REQUIRE(q.empty());
    REQUIRE_FALSE(q.is_pending(thrower));
    EventId next = q.push(at_ms(2), 1, [] {});
    REQUIRE(next.slot == thrower.slot);
    q.run_next(clock);
    REQUIRE(q.empty());
}

TEST_CASE("events due at the running instant keep the heap's order, with sequence or shuffled orders and cancellations",
          "[event_queue]") {
    // Handlers schedule at the running instant (the now-run path), later, or with orders that
    // are not increasing (the path back to the heap), and cancel pending events.
    for (const bool shuffled : {false, true}) {
        CheckedQueue c(shuffled, shuffled ? 11 : 12);
        for (int i = 0; i < 20; ++i) c.schedule(static_cast<std::int64_t>(c.rng.below(5)));
        for (int step = 0; step < 20'000 && !c.q.empty(); ++step) {
            c.run_one();
            for (std::uint64_t n = c.rng.below(3); n > 0; --n)
                c.schedule(c.rng.below(2) == 0 ? c.now() : c.now() + static_cast<std::int64_t>(c.rng.below(4)));
            if (c.rng.below(4) == 0) c.cancel_some(1);
            REQUIRE(c.q.size() == c.pending.size());
        }
    }
}

TEST_CASE("dropping a cancelled key does not move the now-run's instant", "[event_queue]") {
    // A cancelled key at 5 ms is dropped by next_time() while nothing has run; events may still
    // be pushed for any instant from 0 on, and must run in time order.
    EventQueue q;
    std::vector<int> ran;
    const EventId cancelled = q.push(at_ms(5), 1, [&] { ran.push_back(0); });
    q.push(at_ms(10), 2, [&] { ran.push_back(10); });
    REQUIRE(q.cancel(cancelled));
    REQUIRE(q.next_time() == at_ms(10));
    q.push(at_ms(5), 3, [&] { ran.push_back(5); });
    q.push(at_ms(3), 4, [&] { ran.push_back(3); });
    Instant clock = Instant::start();
    while (!q.empty()) q.run_next(clock);
    REQUIRE(ran == std::vector<int>{3, 5, 10});
}

TEST_CASE("events pushed with repeating delays keep the order of (time, order), with shuffled orders, "
          "cancellations and a compaction",
          "[event_queue]") {
    // Delays come in runs of one value (what links and timers produce), from several values, and
    // a burst of cancellations makes the queue rebuild its heap in the middle of the run.
    for (const bool shuffled : {false, true}) {
        CheckedQueue c(shuffled, shuffled ? 21 : 22);
        for (int i = 0; i < 50; ++i) c.schedule(static_cast<std::int64_t>(c.rng.below(100)));
        std::int64_t delay = 1;
        for (int step = 0; step < 30'000 && !c.q.empty(); ++step) {
            c.run_one();
            if (c.rng.below(8) == 0) delay = 1 + static_cast<std::int64_t>(c.rng.below(9)) * 7;
            for (std::uint64_t n = c.pending.size() > 300 ? 0 : c.rng.below(4); n > 0; --n)
                c.schedule(c.now() + (c.rng.below(5) == 0 ? static_cast<std::int64_t>(c.rng.below(50)) : delay));
            if (c.rng.below(4) == 0) c.cancel_some(1);
            if (step == 10'000) {
                // Enough cancelled keys for a compaction (at least 1,024 keys, 4 per live event).
                for (int i = 0; i < 1'200; ++i) c.schedule(c.now() + delay);
                c.cancel_some(c.pending.size() - 10);
            }
            REQUIRE(c.q.size() == c.pending.size());
        }
        REQUIRE(c.pending.size() > 100);  // the queue was busy all along
        while (!c.q.empty()) c.run_one();
    }
}

TEST_CASE("events due a window or more ahead (the far tier) keep the order of (time, order), across refills, "
          "cancellations and the far tier's compaction",
          "[event_queue]") {
    // Delays from a microsecond to four windows (a window is 2^28 ns, about 268 ms): keys wait in
    // the far tier, move into the heap a window at a time, and most far keys are cancelled, as
    // timeouts are, in a burst large enough for the far tier to compact.
    constexpr std::int64_t window = std::int64_t{1} << 28;
    for (const bool shuffled : {false, true}) {
        CheckedQueue c(shuffled, shuffled ? 31 : 32);
        for (int i = 0; i < 30; ++i) c.schedule(static_cast<std::int64_t>(c.rng.below(3 * window)));
        for (int step = 0; step < 20'000 && !c.q.empty(); ++step) {
            c.run_one();
            for (std::uint64_t n = c.pending.size() > 400 ? 0 : c.rng.below(3); n > 0; --n) {
                const std::int64_t delay = c.rng.below(3) == 0 ? static_cast<std::int64_t>(c.rng.below(4 * window))
                                                               : 1'000 + static_cast<std::int64_t>(c.rng.below(window / 8));
                c.schedule(c.now() + delay);
            }
            if (c.rng.below(3) == 0) c.cancel_some(1);
            if (step == 5'000) {
                for (int i = 0; i < 1'500; ++i) c.schedule(c.now() + window + static_cast<std::int64_t>(c.rng.below(window)));
                c.cancel_some(c.pending.size() - 20);
            }
            REQUIRE(c.q.size() == c.pending.size());
        }
        while (!c.q.empty()) c.run_one();
    }
}

TEST_CASE("events at the end of time keep their (time, order) order with the far tier", "[event_queue]") {
    // Keys at Instant::max() and just before it, pushed with orders that do not follow the
    // pushes (as shuffled ties give), run in (time, order) order: the far tier closes before the
    // end of time instead of holding keys that tie with the heap's.
    const std::int64_t end = Instant::max().count_ns();
    EventQueue q;
    std::vector<int> ran;
    q.push(Instant::at(Duration::nanoseconds(end)), 50, [&] { ran.push_back(2); });
    q.push(Instant::at(Duration::nanoseconds(end - 5)), 70, [&] {
        ran.push_back(1);
        q.push(Instant::at(Duration::nanoseconds(end)), 10, [&] { ran.push_back(0); });
    });
    q.push(Instant::at(Duration::nanoseconds(end)), 90, [&] { ran.push_back(3); });
    Instant clock = Instant::start();
    while (!q.empty()) q.run_next(clock);
    REQUIRE(ran == std::vector<int>{1, 0, 2, 3});
}
