#include "sim/core/simulation.h"

#include "tests/support/catch.h"

#include <string>
#include <vector>

using namespace netsim;
using namespace netsim::literals;

namespace {
SimulationOptions seeded(std::uint64_t seed) {
    SimulationOptions o;
    o.seed = seed;
    return o;
}
}  // namespace

TEST_CASE("same-time events run in scheduling order by default", "[simulation]") {
    Simulation sim(seeded(1));
    std::vector<int> ran;
    for (int i = 0; i < 20; ++i) sim.schedule_at(Instant::at(1_s), [&ran, i] { ran.push_back(i); });
    REQUIRE(sim.run() == RunOutcome::idle);
    for (int i = 0; i < 20; ++i) REQUIRE(ran[static_cast<std::size_t>(i)] == i);
    REQUIRE(sim.now() == Instant::at(1_s));
}

TEST_CASE("tie-shuffling permutes same-time events by seed, never across times", "[simulation]") {
    auto order_for = [](std::uint64_t seed) {
        SimulationOptions o = seeded(seed);
        o.shuffle_ties = true;
        Simulation sim(o);
        std::vector<int> ran;
        for (int i = 0; i < 20; ++i) sim.schedule_at(Instant::at(1_s), [&ran, i] { ran.push_back(i); });
        sim.schedule_at(Instant::at(2_s), [&ran] { ran.push_back(100); });
        sim.schedule_at(Instant::at(500_ms), [&ran] { ran.push_back(-1); });
        sim.run();
        return ran;
    };
    const std::vector<int> a = order_for(1);
    REQUIRE(a == order_for(1));
    REQUIRE(a != order_for(2));
    REQUIRE(a.front() == -1);
    REQUIRE(a.back() == 100);
    std::vector<int> middle(a.begin() + 1, a.end() - 1);
    std::vector<int> identity(20);
    for (int i = 0; i < 20; ++i) identity[static_cast<std::size_t>(i)] = i;
    REQUIRE(middle != identity);
    std::sort(middle.begin(), middle.end());
    REQUIRE(middle == identity);
}

TEST_CASE("schedule_after is relative to the running event's time", "[simulation]") {
    Simulation sim(seeded(1));
    std::vector<Instant> seen;
    sim.schedule_after(2_s, [&] {
        seen.push_back(sim.now());
        sim.schedule_after(250_ms, [&] { seen.push_back(sim.now()); });
    });
    sim.run();
    REQUIRE(seen == std::vector<Instant>{Instant::at(2_s), Instant::at(2_s + 250_ms)});
}

TEST_CASE("cancelling a pending event stops it from running", "[simulation]") {
    Simulation sim(seeded(1));
    bool ran = false;
    EventId id = sim.schedule_after(1_s, [&] { ran = true; });
    sim.schedule_after(500_ms, [&] { REQUIRE(sim.cancel(id)); });
    REQUIRE(sim.run() == RunOutcome::idle);
    REQUIRE_FALSE(ran);
    REQUIRE(sim.now() == Instant::at(500_ms));
}

TEST_CASE("run_until runs everything due and then sets the clock", "[simulation]") {
    Simulation sim(seeded(1));
    int ran = 0;
    sim.schedule_after(1_s, [&] { ++ran; });
    sim.schedule_after(3_s, [&] { ++ran; });
    REQUIRE(sim.run_until(Instant::at(2_s)) == RunOutcome::reached_until);
    REQUIRE(ran == 1);
    REQUIRE(sim.now() == Instant::at(2_s));
    REQUIRE(sim.run_until(Instant::at(3_s)) == RunOutcome::reached_until);
    REQUIRE(ran == 2);
    REQUIRE(sim.run_until(sim.now()) == RunOutcome::reached_until);
}

TEST_CASE("run_events runs exactly N events", "[simulation]") {
    Simulation sim(seeded(1));
    int ran = 0;
    for (int i = 0; i < 10; ++i) sim.schedule_after(Duration::milliseconds(i), [&] { ++ran; });
    REQUIRE(sim.run_events(4) == RunOutcome::ran_requested_events);
    REQUIRE(ran == 4);
    REQUIRE(sim.run_events(100) == RunOutcome::idle);
    REQUIRE(ran == 10);
}

TEST_CASE("a runaway workload ends at the event limit", "[simulation]") {
    SimulationOptions o = seeded(1);
    o.limits.max_events = 1'000;
    Simulation sim(o);
    struct Loop {
        Simulation* sim;
        void operator()() const { sim->schedule_after(1_ms, Loop{sim}); }
    };
    sim.schedule_after(0_ms, Loop{&sim});
    const RunOutcome outcome = sim.run();
    REQUIRE(outcome == RunOutcome::event_limit_reached);
    REQUIRE(is_limit(outcome));
    REQUIRE(sim.events_executed() == 1'000);
}

TEST_CASE("a runaway workload ends at the virtual time limit", "[simulation]") {
    SimulationOptions o = seeded(1);
    o.limits.max_time = Instant::at(10_s);
    Simulation sim(o);
    struct Loop {
        Simulation* sim;
        void operator()() const { sim->schedule_after(1_s, Loop{sim}); }
    };
    sim.schedule_after(0_ms, Loop{&sim});
    REQUIRE(sim.run() == RunOutcome::time_limit_reached);
    REQUIRE(sim.now() == Instant::at(10_s));
    REQUIRE(sim.events_executed() == 11);
    REQUIRE(fmt::format("{}", RunOutcome::time_limit_reached) == "limit reached: max virtual time");
}

TEST_CASE("stop() ends the run after the current handler", "[simulation]") {
    Simulation sim(seeded(1));
    int ran = 0;
    sim.schedule_after(1_s, [&] { ++ran; sim.stop(); });
    sim.schedule_after(2_s, [&] { ++ran; });
    REQUIRE(sim.run() == RunOutcome::stopped);
    REQUIRE(ran == 1);
    REQUIRE(sim.run() == RunOutcome::idle);
    REQUIRE(ran == 2);
}

TEST_CASE("two simulations side by side do not share state", "[simulation]") {
    Simulation a(seeded(1));
    Simulation b(seeded(1));
    a.schedule_after(1_s, [&] { a.record("x", "tick"); });
    b.schedule_after(1_s, [&] { b.record("x", "tick"); });
    b.schedule_after(2_s, [&] { b.record("x", "tock"); });
    a.run();
    b.run();
    REQUIRE(a.trace().record_count() == 1);
    REQUIRE(b.trace().record_count() == 2);
    REQUIRE(a.rng_stream("s").next_u64() == b.rng_stream("s").next_u64());
}

TEST_CASE("a handler may cancel itself and schedule many events while it runs", "[simulation]") {
    Simulation sim(seeded(1));
    EventId self;
    std::vector<int> ran;
    bool cancelled_self = true;
    self = sim.schedule_after(1_s, [&] {
        cancelled_self = sim.cancel(self);
        for (int i = 0; i < 3'000; ++i) sim.schedule_after(Duration::milliseconds(i), [&ran, i] { ran.push_back(i); });
        ran.push_back(-1);
    });
    REQUIRE(sim.run() == RunOutcome::idle);
    REQUIRE_FALSE(cancelled_self);
    REQUIRE(ran.size() == 3'001);
    REQUIRE(ran.front() == -1);
    for (std::size_t i = 1; i < ran.size(); ++i) REQUIRE(ran[i] == static_cast<int>(i) - 1);
    REQUIRE(sim.now() == Instant::at(1_s + 2'999_ms));
}

TEST_CASE("a callable whose copy may throw is scheduled through a handler, in the same order", "[simulation]") {
    // An lvalue lambda holding a std::string copies (which may throw) into the queue, so it
    // takes the EventHandler path; an rvalue one is built in its slot. Both keep the order.
    Simulation sim(SimulationOptions{});
    std::string log;
    std::string word = "a";
    auto copied = [word, &log] { log += word; };
    sim.schedule_after(Duration::milliseconds(1), copied);
    sim.schedule_after(Duration::milliseconds(1), [&log] { log += "b"; });
    sim.schedule_at(Instant::at(Duration::milliseconds(1)), copied);
    sim.run();
    REQUIRE(log == "aba");
}
