// Judging a run (see oracles.h).
#include "scenarios/oracles.h"

#include "scenarios/state_match.h"

#include <algorithm>
#include <span>

namespace netsim::scenarios {

using policies::ConnectivityState;
using policies::RpcStatus;

namespace {

std::string state_list(std::span<const StateChange> changes) {
    std::string out;
    for (const StateChange& c : changes) out += (out.empty() ? "" : ", ") + std::string(policies::state_name(c.state));
    return out.empty() ? "(none)" : out;
}

class Judge {
public:
    Judge(RunWorld& world, const Observations& seen) : world_(world), seen_(seen), end_(world.sim().now()) {}

    std::vector<Violation> run(bool only_decided) {
        for (const Expectation& e : world_.scenario().expectations)
            if (!only_decided || decided(e)) judge(e);
        rpcs_end_with_a_status();
        rpcs_answered_by_intended_backends();
        stopped_servers_hold_nothing();
        // The earliest violation first: it is the one the others usually follow from, and it
        // names the run's signature.
        std::stable_sort(violations_.begin(), violations_.end(),
                         [](const Violation& a, const Violation& b) { return a.at < b.at; });
        return std::move(violations_);
    }

    // True if an RPC was answered by a process that is not one of its channel's backends.
    bool wrong_server_seen() {
        rpcs_answered_by_intended_backends();
        const bool seen = !violations_.empty();
        violations_.clear();
        return seen;
    }

    // True if judging the expectation now finds it violated.
    bool violates(const Expectation& e) {
        const std::size_t before = violations_.size();
        judge(e);
        const bool violated = violations_.size() > before;
        violations_.resize(before);
        return violated;
    }

    // True once nothing that happens later can change the expectation's verdict.
    bool decided(const Expectation& e) {
        const auto base = base_of(e);
        switch (e.kind) {
            case Expectation::Kind::step_succeeds:
            case Expectation::Kind::step_fails: {
                const StepOutcome& s = seen_.steps.at(e.subject);
                return s.ran && s.result.has_value();
            }
            case Expectation::Kind::states_exactly: {
                const auto changes = judged_states(e);
                for (std::size_t i = 0; i < changes.size(); ++i)
                    if (i >= e.states.size() || changes[i].state != to_connectivity_state(e.states[i])) return true;  // violated
                // Seen whole once the scenario has done all it does: like the test it reproduces,
                // the run ends when it has what it waited for.
                if (changes.size() == e.states.size() && every_step_ran()) return true;
                const auto h = horizon(e);
                return h && end_ > *h;
            }
            case Expectation::Kind::states_match: {
                const auto h = horizon(e);
                if (h && end_ > *h) return true;
                std::vector<std::string_view> names;
                for (const StateChange& c : judged_states(e)) names.push_back(policies::state_name(c.state));
                return every_step_ran() && state_sequence_matches(e.pattern, names);
            }
            case Expectation::Kind::reaches_state: {
                if (!base) return false;
                const Instant deadline = *base + e.within.value_or(Duration::max());
                ConnectivityState current = ConnectivityState::idle;
                for (const StateChange& c : seen_.channels.at(e.subject).states) {
                    if (c.at > deadline) break;
                    if (c.at >= *base && c.state == to_connectivity_state(e.state)) return true;
                    if (c.at <= *base) current = c.state;
                }
                return current == to_connectivity_state(e.state) || end_ > deadline;
            }
            case Expectation::Kind::success_ratio:
                return e.until && end_ > Instant::at(*e.until) && world_.channel(e.subject).rpcs_pending() == 0;
            case Expectation::Kind::server_share: {
                if (!e.until || end_ <= Instant::at(*e.until)) return false;
                for (const auto& [name, channel] : world_.channels())
                    if (channel->rpcs_pending() > 0) return false;
                return true;
            }
            case Expectation::Kind::server_receives:
            case Expectation::Kind::server_never_receives: {
                if (!base) return false;
                if (first_answer_by(e.subject, *base)) return true;
                return e.kind == Expectation::Kind::server_receives && e.within && end_ > *base + *e.within;
            }
            case Expectation::Kind::no_record: return seen_.forbidden_seen.contains(e.subject);
        }
        return false;
    }

private:
    bool every_step_ran() {
        for (const auto& [label, outcome] : seen_.steps)
            if (!outcome.ran || !outcome.result) return false;
        return true;
    }

    std::optional<Instant> first_answer_by(const std::string& server_name, Instant since) {
        const kernel::ProcessId server = world_.server(server_name).id();
        std::optional<Instant> first;
        for (const auto& [name, channel] : seen_.channels)
            for (const auto& r : channel.rpcs)
                if (r.status == RpcStatus::ok && r.served_by == server && r.finished >= since &&
                    (!first || r.finished < *first))
                    first = r.finished;
        return first;
    }

    void fail(const Expectation& e, Instant at, std::string what, std::string signature_detail,
              std::vector<std::string> detail = {}) {
        violations_.push_back(Violation{at, e.text, std::move(what), e.text + ": " + signature_detail, e.where,
                                        std::move(detail)});
    }
    void fail_invariant(std::string name, Instant at, std::string what, std::string signature) {
        violations_.push_back(Violation{at, name, std::move(what), std::move(signature), {}, {}});
    }

    // The instant an `after LABEL` refers to; none if the step never ran.
    std::optional<Instant> base_of(const Expectation& e) {
        if (!e.after_step) return Instant::start();
        const StepOutcome& s = seen_.steps.at(*e.after_step);
        if (!s.ran) return std::nullopt;
        return s.at;
    }

    void judge(const Expectation& e) {
        switch (e.kind) {
            case Expectation::Kind::step_succeeds:
            case Expectation::Kind::step_fails: judge_step(e); return;
            case Expectation::Kind::states_exactly: judge_states_exactly(e); return;
            case Expectation::Kind::states_match: judge_states_match(e); return;
            case Expectation::Kind::reaches_state: judge_reaches_state(e); return;
            case Expectation::Kind::success_ratio: judge_success_ratio(e); return;
            case Expectation::Kind::server_share: judge_server_share(e); return;
            case Expectation::Kind::server_receives:
            case Expectation::Kind::server_never_receives: judge_server_receives(e); return;
            case Expectation::Kind::no_record: judge_no_record(e); return;
        }
    }

    void judge_step(const Expectation& e) {
        const StepOutcome& s = seen_.steps.at(e.subject);
        if (!s.ran) return fail(e, end_, "the step never ran", "never ran");
        if (!s.result) return fail(e, end_, "the step had not finished by the end", "unfinished");
        const kernel::Errno r = *s.result;
        std::vector<std::string> detail;
        if (!s.holders.empty()) detail.push_back(s.holders);
        if (e.kind == Expectation::Kind::step_succeeds && r != kernel::Errno::ok)
            return fail(e, s.at, fmt::format("{} failed with {}", e.subject, r), std::string(kernel::errno_name(r)),
                        detail);
        if (e.kind == Expectation::Kind::step_fails) {
            if (r == kernel::Errno::ok) return fail(e, s.at, fmt::format("{} succeeded", e.subject), "ok");
            if (e.error && *e.error != r)
                return fail(e, s.at, fmt::format("{} failed with {}", e.subject, r), std::string(kernel::errno_name(r)),
                            detail);
        }
    }

    // The state changes an expectation judges: all of them, or those up to its horizon (a
    // prefix: changes are kept in the order they happened).
    std::span<const StateChange> judged_states(const Expectation& e) {
        const std::vector<StateChange>& all = seen_.channels.at(e.subject).states;
        const auto h = horizon(e);
        if (!h) return all;
        const auto end = std::partition_point(all.begin(), all.end(), [&](const StateChange& c) { return c.at <= *h; });
        return {all.data(), static_cast<std::size_t>(end - all.begin())};
    }
    // `within D [after LABEL]` on a states expectation: the instant after which changes no longer
    // count; none without `within`, or while LABEL has not run (then all changes count).
    std::optional<Instant> horizon(const Expectation& e) {
        if (!e.within) return std::nullopt;
        const auto base = base_of(e);
        if (!base) return std::nullopt;
        return *base + *e.within;
    }

    void judge_states_exactly(const Expectation& e) {
        const auto changes = judged_states(e);
        const std::size_t wanted = e.states.size();
        for (std::size_t i = 0; i < std::max(wanted, changes.size()); ++i) {
            if (i < wanted && i < changes.size() && to_connectivity_state(e.states[i]) == changes[i].state) continue;
            const Instant at = i < changes.size() ? changes[i].at : end_;
            return fail(e, at, fmt::format("states were {}", state_list(changes)),
                        i < changes.size() ? fmt::format("state {} was {}", i + 1, policies::state_name(changes[i].state))
                                           : fmt::format("only {} states", changes.size()));
        }
    }

    void judge_states_match(const Expectation& e) {
        const auto changes = judged_states(e);
        std::vector<std::string_view> names;
        for (const StateChange& c : changes) names.push_back(policies::state_name(c.state));
        if (!state_sequence_matches(e.pattern, names))
            fail(e, end_, fmt::format("states were {}", state_list(changes)), "no match");
    }

    void judge_reaches_state(const Expectation& e) {
        const auto base = base_of(e);
        if (!base) return fail(e, end_, fmt::format("{} never ran", *e.after_step), "step never ran");
        const Instant deadline = e.within ? *base + *e.within : end_;
        const ConnectivityState want = to_connectivity_state(e.state);
        const auto& changes = seen_.channels.at(e.subject).states;
        ConnectivityState current = ConnectivityState::idle;
        for (const StateChange& c : changes) {
            if (c.at > deadline) break;
            if (c.at >= *base && c.state == want) return;
            current = c.state;
        }
        if (current == want) return;  // already there when the window opened, and stayed
        fail(e, std::min(deadline, end_), fmt::format("{} was {} at {}s", e.subject, policies::state_name(current), deadline),
             fmt::format("not {}", policies::state_name(want)));
    }

    void judge_success_ratio(const Expectation& e) {
        const Instant from = e.from ? Instant::at(*e.from) : Instant::start();
        const Instant until = e.until ? Instant::at(*e.until) : end_;
        std::uint64_t total = 0, ok = 0;
        for (const auto& r : seen_.channels.at(e.subject).rpcs) {
            if (r.started < from || r.started >= until) continue;
            ++total;
            ok += r.status == RpcStatus::ok;
        }
        if (total == 0) return fail(e, until, "no RPC finished in the interval", "no RPCs");
        if (!e.at_most && ok * 100 < total * e.ratio_percent)
            fail(e, until, fmt::format("{} of {} RPCs OK ({}%)", ok, total, ok * 100 / total), "below ratio");
        if (e.at_most && ok * 100 > total * e.ratio_percent)
            fail(e, until, fmt::format("{} of {} RPCs OK ({}%)", ok, total, ok * 100 / total), "above ratio");
    }

    // The server's share of the OK RPCs of every channel started in the window.
    void judge_server_share(const Expectation& e) {
        const Instant from = e.from ? Instant::at(*e.from) : Instant::start();
        const Instant until = e.until ? Instant::at(*e.until) : end_;
        const kernel::ProcessId server = world_.server(e.subject).id();
        std::uint64_t total = 0, mine = 0;
        for (const auto& [name, channel] : seen_.channels)
            for (const auto& r : channel.rpcs) {
                if (r.status != RpcStatus::ok || r.started < from || r.started >= until) continue;
                ++total;
                mine += r.served_by == server;
            }
        if (total == 0) return fail(e, until, "no RPC succeeded in the interval", "no RPCs");
        const std::string what = fmt::format("{} answered {} of {} OK RPCs ({}%)", e.subject, mine, total, mine * 100 / total);
        if (!e.at_most && mine * 100 < total * e.ratio_percent) fail(e, until, what, "below share");
        if (e.at_most && mine * 100 > total * e.ratio_percent) fail(e, until, what, "above share");
    }

    void judge_server_receives(const Expectation& e) {
        const auto base = base_of(e);
        if (!base) return fail(e, end_, fmt::format("{} never ran", *e.after_step), "step never ran");
        const Instant deadline = e.within ? *base + *e.within : end_;
        const std::optional<Instant> first = first_answer_by(e.subject, *base);
        if (e.kind == Expectation::Kind::server_receives && (!first || *first > deadline))
            fail(e, deadline, fmt::format("{} answered no RPC by {}s", e.subject, deadline), "no RPCs");
        if (e.kind == Expectation::Kind::server_never_receives && first)
            fail(e, *first, fmt::format("{} answered an RPC at {}s", e.subject, *first), "received");
    }

    void judge_no_record(const Expectation& e) {
        auto it = seen_.forbidden_seen.find(e.subject);
        if (it != seen_.forbidden_seen.end())
            fail(e, it->second.at, "found " + format_trace_record(it->second), "record");
    }

    void rpcs_end_with_a_status() {
        for (const auto& [name, channel] : seen_.channels) {
            // RPCs still running at the end are not judged: their deadlines lie beyond it.
            const std::uint64_t finished = channel.rpcs.size();
            const std::uint64_t live = world_.channel(name).rpcs_pending();
            if (finished + live != channel.rpcs_started)
                fail_invariant("every RPC ends with a status", end_,
                               fmt::format("{}: {} RPCs started, {} finished, {} in flight", name, channel.rpcs_started,
                                           finished, live),
                               "invariant: RPC without a status");
        }
    }

    void rpcs_answered_by_intended_backends() {
        for (const auto& [name, channel] : seen_.channels) {
            const auto& intended = world_.intended_backends(name);
            for (const auto& r : channel.rpcs) {
                if (r.status != RpcStatus::ok || intended.contains(r.served_by)) continue;
                std::string backends;
                for (kernel::ProcessId p : intended)
                    backends += (backends.empty() ? "" : ", ") + std::string(world_.world().process_name(p));
                fail_invariant("every RPC is answered by one of the channel's backends", r.finished,
                               fmt::format("{} RPC {} was answered by {}, not by {} ({} took the port)", name, r.id,
                                           world_.world().process_name(r.served_by), backends,
                                           world_.world().process_name(r.served_by)),
                               "invariant: wrong server");
                break;  // one report per channel
            }
        }
    }

    void stopped_servers_hold_nothing() {
        for (const auto& [name, server] : world_.servers()) {
            if (server->phase() != app::ServerPhase::down) continue;
            if (const auto s = world_.world().kernel(server->host()).first_descriptor_of(server->id()))
                fail_invariant("a stopped server holds no socket", end_,
                               fmt::format("{} is down but holds descriptor {} ({})", name, s->fd->value,
                                           kernel::state_name(s->state)),
                               "invariant: socket left open");
        }
    }

    RunWorld& world_;
    const Observations& seen_;
    Instant end_;
    std::vector<Violation> violations_;
};

}  // namespace

std::vector<Violation> judge(RunWorld& world, const Observations& observations, bool only_decided) {
    return Judge(world, observations).run(only_decided);
}

bool every_expectation_decided(RunWorld& world, const Observations& observations) {
    Judge judge(world, observations);
    for (const Expectation& e : world.scenario().expectations)
        if (!judge.decided(e)) return false;
    return true;
}

bool run_has_failed(RunWorld& world, const Observations& observations) {
    Judge judge(world, observations);
    for (const Expectation& e : world.scenario().expectations)
        if (judge.decided(e) && judge.violates(e)) return true;
    return judge.wrong_server_seen();
}

}  // namespace netsim::scenarios
