// The scenario's timeline in a run: schedules every step from its trigger (an instant, a window
// whose instant the seed picks, a delay after another step, or a channel reaching a state), runs
// its actions (an unordered group in an order the seed picks), and records each step's instant
// and outcome for the oracles. Every seeded choice draws from a stream named after the step
// ("steps/<label>"), so adding a step never moves another step's instant. Workloads (steady RPC
// streams) are scheduled here too.
#pragma once

#include "scenarios/observations.h"
#include "scenarios/run_world.h"

#include <functional>

namespace netsim::scenarios {

class Timeline {
public:
    Timeline(RunWorld& world, Observations& observations);
    Timeline(const Timeline&) = delete;
    Timeline& operator=(const Timeline&) = delete;

    // Schedules the steps whose triggers do not wait on another step, and the workloads.
    void schedule();
    // Hears every step run, and every change to the observations (a step's outcome, an RPC's
    // result), so the runner can tell when the verdict is decided.
    void on_step_run(std::function<void(const Step&)> callback) { on_step_run_ = std::move(callback); }
    void on_change(std::function<void()> callback) { on_change_ = std::move(callback); }

private:
    void arm(const Step& step);
    void schedule_step(const Step& step, Instant at);
    void run_step(const Step& step);
    // Runs one action; `done` hears its outcome (a restart may finish later).
    void run_action(const Step& step, const Action& action);
    void record_outcome(const Step& step, const Action& action, kernel::Errno result);
    void start_rpcs(const std::string& channel, int count, policies::RpcOptions options);
    void schedule_workload(const WorkloadSpec& workload, Instant at);
    Instant pick(const DurationRange& range, Instant base, const Step& step);

    RunWorld& world_;
    Observations& observations_;
    std::map<std::string, std::vector<const Step*>> followers_;  // label -> steps `after` it
    std::map<std::string, int> pending_results_;                 // label -> actions not yet done
    std::function<void(const Step&)> on_step_run_;
    std::function<void()> on_change_;
};

}  // namespace netsim::scenarios
