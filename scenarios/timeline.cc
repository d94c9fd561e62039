// Scheduling and running the scenario's steps (see timeline.h).
#include "scenarios/timeline.h"

#include "policies/xxhash64.h"
#include "scenarios/port_holders.h"
#include "sim/core/random_delay.h"

namespace netsim::scenarios {

using kernel::Errno;

namespace {

// `key=K` stands for a request header whose XXH64 is the RPC's request hash (gRFC A76).
policies::RpcOptions rpc_options(Duration deadline, bool wait_for_ready, const std::optional<std::string>& key) {
    policies::RpcOptions options{.deadline = deadline, .wait_for_ready = wait_for_ready};
    if (key) options.request_hash = policies::xxhash64(*key);
    return options;
}

}  // namespace

Timeline::Timeline(RunWorld& world, Observations& observations) : world_(world), observations_(observations) {
    for (const Step& step : world_.scenario().steps) {
        observations_.steps[step.label];
        if (step.trigger.kind == Trigger::Kind::after) followers_[step.trigger.step].push_back(&step);
    }
    for (const ChannelSpec& c : world_.scenario().channels) observations_.channels[c.name];
}

void Timeline::schedule() {
    for (const Step& step : world_.scenario().steps)
        if (step.trigger.kind != Trigger::Kind::after) arm(step);
    for (const WorkloadSpec& w : world_.scenario().workloads) schedule_workload(w, Instant::at(w.from));
}

Instant Timeline::pick(const DurationRange& range, Instant base, const Step& step) {
    if (range.low == range.high) return base + range.low;
    Rng rng = world_.sim().rng_stream("steps/" + step.label);
    return base + uniform_delay(rng, range.low, range.high);
}

void Timeline::arm(const Step& step) {
    switch (step.trigger.kind) {
        case Trigger::Kind::at:
            schedule_step(step, pick(step.trigger.offset, Instant::start(), step));
            return;
        case Trigger::Kind::after:
            return;  // armed when its step runs
        case Trigger::Kind::when_state: {
            const auto wanted = to_connectivity_state(step.trigger.state);
            policies::Channel& channel = world_.channel(step.trigger.channel);
            auto fired = std::make_shared<bool>(false);
            channel.on_state([this, &step, wanted, fired](policies::ConnectivityState, policies::ConnectivityState to) {
                if (*fired || to != wanted) return;
                *fired = true;
                schedule_step(step, world_.sim().now());
            });
            return;
        }
    }
}

void Timeline::schedule_step(const Step& step, Instant at) {
    if (at < world_.sim().now()) at = world_.sim().now();
    world_.sim().schedule_at(at, [this, s = &step] { run_step(*s); });
}

void Timeline::run_step(const Step& step) {
    StepOutcome& outcome = observations_.steps[step.label];
    outcome.ran = true;
    outcome.at = world_.sim().now();
    world_.sim().record("timeline", "step.run", {{"step", step.label}});
    std::vector<const Action*> order;
    for (const Action& a : step.actions) order.push_back(&a);
    if (step.unordered) {
        Rng rng = world_.sim().rng_stream("steps/" + step.label + "/order");
        rng.shuffle(std::span<const Action*>(order));
    }
    pending_results_[step.label] = static_cast<int>(order.size());
    for (const Action* a : order) run_action(step, *a);
    for (const Step* follower : followers_[step.label])
        schedule_step(*follower, pick(follower->trigger.offset, world_.sim().now(), *follower));
    if (on_step_run_) on_step_run_(step);
    if (on_change_) on_change_();
}

void Timeline::record_outcome(const Step& step, const Action& action, Errno result) {
    StepOutcome& outcome = observations_.steps[step.label];
    if (result != Errno::ok && (!outcome.result || *outcome.result == Errno::ok)) {
        outcome.result = result;
        app::Server& server = world_.server(action.subject);
        const net::Port port = server.address() ? server.address()->port : server.config().address.port;
        outcome.holders = describe_port_holders(world_.world(), server.host(), port);
    }
    if (--pending_results_[step.label] == 0 && !outcome.result) outcome.result = Errno::ok;
    world_.sim().record("timeline", "step.done",
                        {{"step", step.label}, {"result", kernel::errno_label(result)}});
    if (on_change_) on_change_();
}

void Timeline::run_action(const Step& step, const Action& action) {
    auto done = [this, &step, &action](Errno e) { record_outcome(step, action, e); };
    switch (action.kind) {
        case ActionKind::start: world_.server(action.subject).start(done); return;
        case ActionKind::restart: world_.server(action.subject).restart(done); return;
        case ActionKind::stop: world_.server(action.subject).stop(); break;
        case ActionKind::graceful_stop: world_.server(action.subject).graceful_stop(); break;
        case ActionKind::crash: world_.server(action.subject).crash(); break;
        case ActionKind::pause: world_.server(action.subject).pause(); break;
        case ActionKind::resume: world_.server(action.subject).resume(); break;
        case ActionKind::partition:
            world_.world().network().partition(world_.host(action.subject), world_.host(action.other));
            break;
        case ActionKind::heal:
            world_.world().network().heal(world_.host(action.subject), world_.host(action.other));
            break;
        case ActionKind::resolve: world_.resolve(action.subject, action.addresses); break;
        case ActionKind::resolver_error: world_.channel(action.subject).resolver().fail("scenario step"); break;
        case ActionKind::rpc:
            start_rpcs(action.subject, action.count, rpc_options(action.deadline, action.wait_for_ready, action.key));
            break;
        case ActionKind::connect: world_.channel(action.subject).connect(); break;
        case ActionKind::load:
            world_.server(action.subject).set_load_report(app::LoadReport{action.load_qps, action.load_cpu_percent * 10, action.load_eps});
            break;
    }
    --pending_results_[step.label];
    StepOutcome& outcome = observations_.steps[step.label];
    if (pending_results_[step.label] == 0 && !outcome.result) outcome.result = Errno::ok;
}

void Timeline::start_rpcs(const std::string& channel, int count, policies::RpcOptions options) {
    ChannelObservations& seen = observations_.channels[channel];
    for (int i = 0; i < count; ++i) {
        ++seen.rpcs_started;
        world_.channel(channel).start_rpc(options,
                                          [this, &seen](const policies::RpcResult& r) {
                                              seen.rpcs.push_back(r);
                                              if (on_change_) on_change_();
                                          });
    }
}

void Timeline::schedule_workload(const WorkloadSpec& workload, Instant at) {
    const Instant until = workload.until ? Instant::at(*workload.until) : Instant::at(world_.scenario().end);
    if (at >= until || workload.rate.events == 0) return;
    world_.sim().schedule_at(at, [this, w = &workload, at] {
        start_rpcs(w->channel, 1, rpc_options(w->deadline, w->wait_for_ready, w->key));
        const Duration gap = Duration::nanoseconds(
            std::max<std::int64_t>(1, w->rate.per.count_ns() / static_cast<std::int64_t>(w->rate.events)));
        schedule_workload(*w, at + gap);
    });
}

}  // namespace netsim::scenarios
