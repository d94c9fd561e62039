// One deterministic run: the virtual clock, the event queue, the run's seeded PRNG and its trace.
// A Simulation is an ordinary object (no globals), so several can run side by side in one
// process. Given the same options and the same scheduled work, every run executes the same
// events in the same order and produces the same trace hash.
//
// Same-time events run in scheduling order, unless `shuffle_ties` is set: then their order is
// drawn from the seeded stream "tie_breaks" (how the explorer varies orderings). Hard limits end a
// run with a `limit reached` outcome instead of letting a runaway workload hang.
#pragma once

#include "sim/core/event_queue.h"
#include "sim/core/rng.h"
#include "sim/core/time.h"
#include "sim/core/trace.h"

#include <cstdint>
#include <string>
#include <type_traits>
#include <vector>

namespace netsim {

struct RunLimits {
    std::uint64_t max_events = UINT64_MAX;  // events executed over the whole run
    Instant max_time = Instant::max();      // no event after this instant runs
};

struct SimulationOptions {
    std::uint64_t seed = 0;
    bool shuffle_ties = false;
    RunLimits limits;
};

enum class RunOutcome {
    idle,                 // no event left to run
    reached_until,        // run_until(t): every event at or before t ran; the clock is at t
    ran_requested_events, // run_events(n): n events ran and more are pending
    stopped,              // a handler called stop()
    event_limit_reached,  // RunLimits::max_events
    time_limit_reached,   // RunLimits::max_time: the next event lies beyond it
};

std::string_view to_string(RunOutcome outcome);
bool is_limit(RunOutcome outcome);

class Simulation {
public:
    explicit Simulation(SimulationOptions options);
    Simulation(const Simulation&) = delete;
    Simulation& operator=(const Simulation&) = delete;

    Instant now() const { return now_; }
    std::uint64_t seed() const { return options_.seed; }
    const SimulationOptions& options() const { return options_; }

    // Schedules `handler` at `at` (not before now()).
    EventId schedule_at(Instant at, EventHandler&& handler);
    EventId schedule_after(Duration delay, EventHandler&& handler);
    // The same for a callable, built straight in the queue's slot (no temporary handler to
    // copy from, whose bytes the copy would read back before they are stored). The order is
    // the same as through an EventHandler.
    template <typename F>
        requires(!std::is_same_v<std::decay_t<F>, EventHandler> &&
                 std::is_nothrow_constructible_v<std::decay_t<F>, F &&>)
    EventId schedule_at(Instant at, F&& f) {
        NETSIM_CHECK_OP(at, >=, now_);
        return queue_.emplace(at, next_order(), std::forward<F>(f));
    }
    template <typename F>
        requires(!std::is_same_v<std::decay_t<F>, EventHandler> &&
                 std::is_nothrow_constructible_v<std::decay_t<F>, F &&>)
    EventId schedule_after(Duration delay, F&& f) {
        // A non-negative delay never lands before now(): Instant + Duration saturates.
        NETSIM_CHECK_OP(delay, >=, Duration::zero());
        return queue_.emplace(now_ + delay, next_order(), std::forward<F>(f));
    }
    // True if the event was still pending.
    bool cancel(EventId id);
    bool is_pending(EventId id) const { return queue_.is_pending(id); }
    std::size_t pending_events() const { return queue_.size(); }
    std::uint64_t events_executed() const { return executed_; }

    // Runs until no event is left, stop() is called or a limit is reached.
    RunOutcome run();
    // Runs every event due at or before `until`, then sets the clock to `until`.
    RunOutcome run_until(Instant until);
    // Runs at most `count` events.
    RunOutcome run_events(std::uint64_t count);
    // Makes the current run*() call return `stopped` after the running handler.
    void stop() { stop_requested_ = true; }

    // An independent generator for the named stream of this run's seed (see Rng::stream).
    Rng rng_stream(std::string_view name) const { return root_rng_.stream(name); }

    Trace& trace() { return trace_; }
    const Trace& trace() const { return trace_; }
    // Appends a record stamped with now(). The views need only live for the call.
    void record(std::string_view source, std::string_view kind, std::initializer_list<TraceFieldView> fields = {}) {
        trace_.append(TraceRecordView{now_, source, kind, std::span<const TraceFieldView>(fields.begin(), fields.size())});
    }
    void record(std::string_view source, std::string_view kind, std::span<const TraceFieldView> fields) {
        trace_.append(TraceRecordView{now_, source, kind, fields});
    }
    // The same with names hashed ahead (the same hash, less work per record).
    void record(const TraceSource& source, TraceKind kind, std::initializer_list<TraceFieldView> fields = {}) {
        record(source, kind, std::span<const TraceFieldView>(fields.begin(), fields.size()));
    }
    void record(const TraceSource& source, TraceKind kind, std::span<const TraceFieldView> fields) {
        trace_.append(TraceRecordView{now_, source.name(), kind.text(), fields, source.part(), kind.part()});
    }
    // The same with the fields added by `add_fields(builder)`, a callable that calls
    // builder.add(key, value) for each field (at most N) and has no other effect: for a trace
    // nobody observes it runs once with a builder that only hashes, so that the record's state
    // stays in registers; else once with a TraceFieldList<N> that keeps the views. With the
    // trace's hashing off and nobody observing, it does not run at all.
    template <std::size_t N, typename AddFields>
    [[gnu::always_inline]] void record(const TraceSource& source, TraceKind kind, AddFields&& add_fields) {
        if (!trace_.observed()) [[likely]] {
            if (!trace_.hashing()) return;
            record_unobserved(source, kind, add_fields);
        } else {
            record_observed<N>(source, kind, add_fields);
        }
    }
    // The same with the fields hashed as they were added.
    template <std::size_t N>
    void record(const TraceSource& source, TraceKind kind, const TraceFieldList<N>& fields) {
        trace_.append_hash(now_, source.part(), kind.part(), fields.size(), fields.fields_part());
        if (trace_.observed()) deliver(source, kind, fields);
    }

private:
    // The observed half of record(): out of line, so that the hashing half needs few registers.
    template <std::size_t N>
    [[gnu::noinline]] void deliver(const TraceSource& source, TraceKind kind, const TraceFieldList<N>& fields) {
        trace_.deliver(TraceRecordView{now_, source.name(), kind.text(), fields.record_span(), source.part(), kind.part()});
    }
    // Everything it calls is inlined (the callable, the label lookups), so that the record is
    // hashed in registers.
    template <typename AddFields>
    [[gnu::flatten]] void record_unobserved(const TraceSource& source, TraceKind kind, AddFields& add_fields) {
        TraceFieldHasher fields;
        add_fields(fields);
        trace_.append_hash(now_, source.part(), kind.part(), fields.size(), fields.fields_part());
    }
    template <std::size_t N, typename AddFields>
    [[gnu::noinline]] void record_observed(const TraceSource& source, TraceKind kind, AddFields& add_fields) {
        TraceFieldList<N> fields;
        add_fields(fields);
        record(source, kind, fields);
    }
    RunOutcome run_loop(Instant until, std::uint64_t budget, RunOutcome when_budget_spent);
    // The next event's order: its sequence number, or a seeded tie-break above it.
    std::uint64_t next_order() {
        const std::uint64_t sequence = next_sequence_++;
        if (!options_.shuffle_ties) return sequence;
        return (tie_rng_.next_u64() << 32) | (sequence & 0xffffffffULL);
    }

    SimulationOptions options_;
    Instant now_ = Instant::start();
    EventQueue queue_;
    Rng root_rng_;
    Rng tie_rng_;
    Trace trace_;
    std::uint64_t next_sequence_ = 0;
    std::uint64_t executed_ = 0;
    bool stop_requested_ = false;
};

}  // namespace netsim

template <>
struct fmt::formatter<netsim::RunOutcome> : fmt::formatter<std::string_view> {
    auto format(netsim::RunOutcome o, format_context& ctx) const {
        return fmt::formatter<std::string_view>::format(netsim::to_string(o), ctx);
    }
};
