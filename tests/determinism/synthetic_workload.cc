#include "tests/determinism/synthetic_workload.h"

#include "sim/core/simulation.h"

#include <memory>
#include <string>
#include <vector>

namespace netsim::testing {

namespace {

struct Actor {
    Simulation* sim;
    Rng rng;
    std::string name;
    EventId pending_timeout;
    std::int64_t wakeups = 0;

    void wake() {
        ++wakeups;
        sim->record(name, "wake", {{"n", wakeups}});
        // 1 in 4: arm a timeout; 1 in 3: cancel the one armed before (if still pending).
        if (rng.chance(1, 3) && sim->cancel(pending_timeout)) sim->record(name, "timeout.cancelled");
        if (rng.chance(1, 4)) {
            pending_timeout = sim->schedule_after(Duration::milliseconds(rng.between(1, 50)),
                                                  [this] { sim->record(name, "timeout.fired"); });
        }
        // Delays are whole milliseconds so that actors often wake at the same instant.
        const Duration delay = Duration::milliseconds(rng.between(0, 20));
        sim->schedule_after(delay, [this] { wake(); });
    }
};

}  // namespace

std::uint64_t run_synthetic_workload(std::uint64_t seed, const SyntheticWorkload& workload) {
    SimulationOptions options;
    options.seed = seed;
    options.shuffle_ties = workload.shuffle_ties;
    options.limits.max_events = workload.events;
    Simulation sim(options);
    std::vector<std::unique_ptr<Actor>> actors;
    for (int i = 0; i < workload.actors; ++i) {
        std::string name = "actor-" + std::to_string(i);
        actors.push_back(std::make_unique<Actor>(Actor{&sim, sim.rng_stream(name), name, {}, 0}));
        sim.schedule_after(Duration::zero(), [a = actors.back().get()] { a->wake(); });
    }
    const RunOutcome outcome = sim.run();
    sim.record("sim", "run.end", {{"outcome", std::string(to_string(outcome))},
                                  {"events", static_cast<std::int64_t>(sim.events_executed())}});
    return sim.trace().hash();
}

}  // namespace netsim::testing
