// Simulation's run loop and scheduling (see simulation.h for the determinism guarantees): every
// event gets the next sequence number (or a seeded tie-break) as its order in the queue, and the
// loop checks the limits before each event, which the queue then runs in place.
#include "sim/core/simulation.h"

#include "sim/core/check.h"

namespace netsim {

std::string_view to_string(RunOutcome outcome) {
    switch (outcome) {
        case RunOutcome::idle: return "idle";
        case RunOutcome::reached_until: return "reached-until";
        case RunOutcome::ran_requested_events: return "ran-requested-events";
        case RunOutcome::stopped: return "stopped";
        case RunOutcome::event_limit_reached: return "limit reached: max events";
        case RunOutcome::time_limit_reached: return "limit reached: max virtual time";
    }
    return "unknown";
}

bool is_limit(RunOutcome outcome) {
    return outcome == RunOutcome::event_limit_reached || outcome == RunOutcome::time_limit_reached;
}

Simulation::Simulation(SimulationOptions options)
    : options_(options), root_rng_(options.seed), tie_rng_(root_rng_.stream("tie_breaks")) {}

EventId Simulation::schedule_at(Instant at, EventHandler&& handler) {
    NETSIM_CHECK_OP(at, >=, now_);
    return queue_.push(at, next_order(), std::move(handler));
}

EventId Simulation::schedule_after(Duration delay, EventHandler&& handler) {
    // A non-negative delay never lands before now(): Instant + Duration saturates.
    NETSIM_CHECK_OP(delay, >=, Duration::zero());
    return queue_.push(now_ + delay, next_order(), std::move(handler));
}

bool Simulation::cancel(EventId id) { return queue_.cancel(id); }

RunOutcome Simulation::run() { return run_loop(Instant::max(), UINT64_MAX, RunOutcome::idle); }

RunOutcome Simulation::run_until(Instant until) {
    NETSIM_CHECK_OP(until, >=, now_);
    RunOutcome outcome = run_loop(until, UINT64_MAX, RunOutcome::idle);
    if (outcome == RunOutcome::idle) {
        now_ = until;
        return RunOutcome::reached_until;
    }
    return outcome;
}

RunOutcome Simulation::run_events(std::uint64_t count) {
    return run_loop(Instant::max(), count, RunOutcome::ran_requested_events);
}

RunOutcome Simulation::run_loop(Instant until, std::uint64_t budget, RunOutcome when_budget_spent) {
    stop_requested_ = false;
    for (std::uint64_t ran = 0;; ++ran) {
        if (queue_.empty()) return RunOutcome::idle;
        if (ran == budget) return when_budget_spent;
        const Instant next = queue_.next_time();
        if (next > options_.limits.max_time) {
            if (until <= options_.limits.max_time) return RunOutcome::idle;
            now_ = options_.limits.max_time;
            return RunOutcome::time_limit_reached;
        }
        if (next > until) return RunOutcome::idle;
        if (executed_ >= options_.limits.max_events) return RunOutcome::event_limit_reached;
        ++executed_;
        queue_.run_next(now_);
        if (stop_requested_) return RunOutcome::stopped;
    }
}


}  // namespace netsim
