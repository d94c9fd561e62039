// One scenario run (see runner.h).
#include "scenarios/runner.h"

#include "scenarios/run_world.h"
#include "scenarios/timeline.h"

namespace netsim::scenarios {

namespace {

// Remembers the first record of every kind an expectation forbids.
class ForbiddenKinds final : public TraceSink {
public:
    ForbiddenKinds(const Scenario& scenario, Observations& seen) : seen_(seen) {
        for (const Expectation& e : scenario.expectations)
            if (e.kind == Expectation::Kind::no_record) kinds_.insert(e.subject);
    }
    bool empty() const { return kinds_.empty(); }
    void on_record(const TraceRecordView& record) override {
        auto kind = kinds_.find(record.kind);
        if (kind != kinds_.end() && !seen_.forbidden_seen.contains(*kind))
            seen_.forbidden_seen.emplace(*kind, TraceRecord::from(record));
    }

private:
    std::set<std::string, std::less<>> kinds_;
    Observations& seen_;
};

// Ends the run as soon as every expectation is decided: checks after each change the timeline
// reports (coalesced into one zero-delay event) and at each expectation's horizon.
class EarlyEnd {
public:
    EarlyEnd(RunWorld& world, Observations& seen, bool at_first_failure)
        : world_(world), seen_(seen), at_first_failure_(at_first_failure) {}

    void poke() {
        if (world_.scenario().expectations.empty() || world_.sim().is_pending(check_)) return;
        check_ = world_.sim().schedule_after(Duration::zero(), [this] { check(); });
    }
    // Schedules the checks due `within` after `step` (none: the start of the run).
    void arm_horizons(const std::string* step) {
        for (const Expectation& e : world_.scenario().expectations) {
            const bool mine = step ? (e.after_step && *e.after_step == *step) : !e.after_step;
            if (mine && e.within) at(world_.sim().now() + *e.within);
            if (!step && e.until) at(Instant::at(*e.until));
        }
    }

private:
    void at(Instant when) {
        // Just after the horizon, so that every event at the horizon itself has run.
        world_.sim().schedule_at(when + Duration::nanoseconds(1), [this] { poke(); });
    }
    void check() {
        if (every_expectation_decided(world_, seen_)) {
            world_.sim().record("runner", "run.decided", {});
            world_.sim().stop();
        } else if (at_first_failure_ && run_has_failed(world_, seen_)) {
            world_.sim().record("runner", "run.failed", {});
            world_.sim().stop();
        }
    }

    RunWorld& world_;
    Observations& seen_;
    bool at_first_failure_;
    EventId check_;
};

}  // namespace

std::string RunReport::signature() const {
    if (violations.empty()) {
        if (is_limit(outcome)) return std::string(to_string(outcome));
        return "holds";
    }
    return violations.front().signature;
}

RunReport run_scenario(const Scenario& scenario, std::uint64_t seed, const RunOptions& options) {
    RunWorld world(scenario, seed, WorldTracing{options.sink, options.keep_records, options.hash_trace});
    Observations seen;
    Trace& trace = world.sim().trace();
    ForbiddenKinds forbidden(scenario, seen);
    if (!forbidden.empty()) trace.add_sink(&forbidden);

    EarlyEnd early_end(world, seen, options.stop_at_first_failure);
    for (const auto& [name, channel] : world.channels()) {
        ChannelObservations& mine = seen.channels[name];
        channel->on_state([&mine, &world, &early_end](policies::ConnectivityState, policies::ConnectivityState to) {
            mine.states.push_back(StateChange{world.sim().now(), to});
            early_end.poke();
        });
    }
    Timeline timeline(world, seen);
    timeline.on_step_run([&early_end](const Step& step) { early_end.arm_horizons(&step.label); });
    timeline.on_change([&early_end] { early_end.poke(); });
    world.begin();
    timeline.schedule();
    early_end.arm_horizons(nullptr);
    RunReport report;
    report.seed = seed;
    report.outcome = world.sim().run_until(Instant::at(scenario.end));
    report.ended = world.sim().now();
    report.violations = judge(world, seen, report.outcome == RunOutcome::stopped && options.stop_at_first_failure);
    if (is_limit(report.outcome))
        report.violations.push_back(Violation{report.ended, "the run reaches its end", std::string(to_string(report.outcome)),
                                              std::string(to_string(report.outcome)), {}, {}});
    report.holds = report.violations.empty();
    if (trace.hashing()) {
        report.trace_hash = trace.hash();
        report.records = trace.record_count();
    }
    report.events = world.sim().events_executed();
    if (options.keep_records) report.trace = trace.records();
    trace.remove_sink(&forbidden);
    if (options.sink != nullptr) trace.remove_sink(options.sink);
    return report;
}

}  // namespace netsim::scenarios
