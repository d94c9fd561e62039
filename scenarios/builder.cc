#include "scenarios/builder.h"

#include "policies/policy_registry.h"

#include "scenarios/builder_support.h"
#include "scenarios/expectation_text.h"
#include "scenarios/name_checks.h"
#include "scenarios/state_pattern.h"
#include "scenarios/values.h"

#include <fmt/format.h>

#include <algorithm>

namespace netsim::scenarios {

namespace {

using namespace builder_support;

Expectation expectation_of(Expectation::Kind kind, std::string subject) {
    Expectation e;
    e.kind = kind;
    e.subject = std::move(subject);
    return e;
}

void check(std::optional<ParseError> error) {
    if (error) fail(error->message);
}

// Every definition and use in a built scenario, fed to the same checks as the parser's.
NameChecks names_of(const Scenario& s, const std::vector<std::pair<std::string, SysctlSpec>>& sysctls) {
    NameChecks names;
    const SourceLocation at{};
    for (const HostSpec& h : s.hosts) check(names.define(NameKind::host, h.name, at));
    for (const ServerSpec& server : s.servers) check(names.define(NameKind::server, server.name, at));
    for (const NoiseSpec& n : s.noise) check(names.define(NameKind::noise, n.name, at));
    for (const ChannelSpec& c : s.channels) check(names.define(NameKind::channel, c.name, at));
    for (const Step& step : s.steps) check(names.define(NameKind::step, step.label, at));
    for (const auto& [host, spec] : sysctls) names.refer(NameKind::host, host, at);
    for (const LinkBetween& l : s.links) {
        names.refer(NameKind::host, l.a, at);
        names.refer(NameKind::host, l.b, at);
    }
    for (const ServerSpec& server : s.servers) names.refer(NameKind::host, server.host, at);
    for (const NoiseSpec& n : s.noise) {
        names.refer(NameKind::host, n.host, at);
        if (n.target_server) names.refer(NameKind::server, *n.target_server, at, NameKind::noise);
    }
    for (const ChannelSpec& c : s.channels) {
        names.refer(NameKind::host, c.host, at);
        for (const std::string& t : c.targets) names.refer(NameKind::server, t, at);
    }
    for (const WorkloadSpec& w : s.workloads) names.refer(NameKind::channel, w.channel, at);
    for (const Step& step : s.steps) {
        if (step.trigger.kind == Trigger::Kind::after) {
            names.refer(NameKind::step, step.trigger.step, at);
            names.follow(step.label, step.trigger.step, at);
        }
        if (step.trigger.kind == Trigger::Kind::when_state) names.refer(NameKind::channel, step.trigger.channel, at);
        for (const Action& a : step.actions) {
            switch (a.kind) {
                case ActionKind::partition:
                case ActionKind::heal:
                    names.refer(NameKind::host, a.subject, at);
                    names.refer(NameKind::host, a.other, at);
                    break;
                case ActionKind::resolve:
                    names.refer(NameKind::channel, a.subject, at);
                    for (const std::string& server : a.addresses) names.refer(NameKind::server, server, at);
                    break;
                case ActionKind::resolver_error:
                case ActionKind::rpc:
                case ActionKind::connect: names.refer(NameKind::channel, a.subject, at); break;
                default: names.refer(NameKind::server, a.subject, at); break;
            }
        }
    }
    for (const Expectation& e : s.expectations) {
        switch (e.kind) {
            case Expectation::Kind::step_succeeds:
            case Expectation::Kind::step_fails: names.refer(NameKind::step, e.subject, at); break;
            case Expectation::Kind::states_exactly:
            case Expectation::Kind::states_match:
            case Expectation::Kind::reaches_state:
            case Expectation::Kind::success_ratio: names.refer(NameKind::channel, e.subject, at); break;
            case Expectation::Kind::server_receives:
            case Expectation::Kind::server_share:
            case Expectation::Kind::server_never_receives: names.refer(NameKind::server, e.subject, at); break;
            case Expectation::Kind::no_record: break;
        }
        if (e.after_step) names.refer(NameKind::step, *e.after_step, at);
    }
    return names;
}

}  // namespace

// ---- the scenario -------------------------------------------------------------------------

ScenarioBuilder::ScenarioBuilder(std::string name) {
    if (!is_identifier(name)) fail(fmt::format("expected a scenario name (an identifier), got '{}'", name));
    scenario_.name = std::move(name);
}

std::size_t ScenarioBuilder::require(std::string statement, std::string part) {
    required_.push_back(Required{std::move(statement), std::move(part)});
    return required_.size() - 1;
}

ScenarioBuilder& ScenarioBuilder::description(std::string text) {
    scenario_.description = std::move(text);
    return *this;
}
ScenarioBuilder& ScenarioBuilder::param(std::string name, std::string value) {
    if (!is_identifier(name)) fail(fmt::format("expected a parameter name (an identifier), got '{}'", name));
    for (const Parameter& p : scenario_.params)
        if (p.name == name) fail(fmt::format("duplicate parameter '{}'", name));
    scenario_.params.push_back(Parameter{std::move(name), std::move(value), {}});
    return *this;
}
ScenarioBuilder& ScenarioBuilder::end_at(Duration t) {
    scenario_.end = t;
    return *this;
}

HostBuilder ScenarioBuilder::host(std::string name) {
    HostSpec host;
    host.name = std::move(name);
    scenario_.hosts.push_back(std::move(host));
    return HostBuilder(*this, scenario_.hosts.size() - 1);
}
SysctlBuilder ScenarioBuilder::sysctl(std::string host) {
    sysctls_.emplace_back(std::move(host), SysctlSpec{});
    return SysctlBuilder(*this, sysctls_.size() - 1);
}
LinkBuilder ScenarioBuilder::link(std::string host_a, std::string host_b) {
    if (host_a == host_b) fail(fmt::format("a link joins two hosts, got '{}' twice", host_a));
    LinkBetween link;
    link.a = std::move(host_a);
    link.b = std::move(host_b);
    scenario_.links.push_back(std::move(link));
    return LinkBuilder(*this, scenario_.links.size() - 1);
}
ServerBuilder ScenarioBuilder::server(std::string name) {
    const std::string statement = fmt::format("server '{}'", name);
    server_on_.push_back(require(statement, "on(HOST)"));
    server_at_.push_back(require(statement, "at(ADDR)"));
    ServerSpec server;
    server.name = std::move(name);
    scenario_.servers.push_back(std::move(server));
    return ServerBuilder(*this, scenario_.servers.size() - 1);
}
NoiseBuilder ScenarioBuilder::noise(std::string name, NoiseKind kind) {
    const std::string statement = fmt::format("noise '{}'", name);
    noise_on_.push_back(require(statement, "on(HOST)"));
    noise_rate_.push_back(require(statement, "rate(EVENTS, PER)"));
    noise_port_.push_back(kind == NoiseKind::holders ? require(statement, "port(PORT)") : none);
    NoiseSpec noise;
    noise.name = std::move(name);
    noise.kind = kind;
    scenario_.noise.push_back(std::move(noise));
    return NoiseBuilder(*this, scenario_.noise.size() - 1);
}
ChannelBuilder ScenarioBuilder::channel(std::string name) {
    channel_on_.push_back(require(fmt::format("channel '{}'", name), "on(HOST)"));
    ChannelSpec channel;
    channel.name = std::move(name);
    scenario_.channels.push_back(std::move(channel));
    return ChannelBuilder(*this, scenario_.channels.size() - 1);
}
RpcsBuilder ScenarioBuilder::rpcs(std::string channel) {
    rpcs_rate_.push_back(require(fmt::format("rpcs '{}'", channel), "rate(EVENTS, PER)"));
    WorkloadSpec workload;
    workload.channel = std::move(channel);
    scenario_.workloads.push_back(std::move(workload));
    return RpcsBuilder(*this, scenario_.workloads.size() - 1);
}

StepBuilder ScenarioBuilder::step(Trigger trigger) {
    Step step;
    step.label = fmt::format("step#{}", scenario_.steps.size() + 1);
    step.trigger = std::move(trigger);
    scenario_.steps.push_back(std::move(step));
    return StepBuilder(*this, scenario_.steps.size() - 1);
}
StepBuilder ScenarioBuilder::at(Duration t) { return at(t, t); }
StepBuilder ScenarioBuilder::at(Duration low, Duration high) {
    Trigger trigger;
    trigger.kind = Trigger::Kind::at;
    trigger.offset = window(low, high);
    return step(std::move(trigger));
}
StepBuilder ScenarioBuilder::after(std::string label, Duration delay) { return after(std::move(label), delay, delay); }
StepBuilder ScenarioBuilder::after(std::string label, Duration low, Duration high) {
    Trigger trigger;
    trigger.kind = Trigger::Kind::after;
    trigger.step = std::move(label);
    trigger.offset = window(low, high);
    return step(std::move(trigger));
}
StepBuilder ScenarioBuilder::when(std::string channel, ConnectivityStateName state) {
    Trigger trigger;
    trigger.kind = Trigger::Kind::when_state;
    trigger.offset = DurationRange{Duration::zero(), Duration::zero()};
    trigger.channel = std::move(channel);
    trigger.state = state;
    return step(std::move(trigger));
}

ExpectationBuilder ScenarioBuilder::expect(Expectation e) {
    scenario_.expectations.push_back(std::move(e));
    return ExpectationBuilder(*this, scenario_.expectations.size() - 1);
}
ExpectationBuilder ScenarioBuilder::expect_succeeds(std::string label) {
    return expect(expectation_of(Expectation::Kind::step_succeeds, std::move(label)));
}
ExpectationBuilder ScenarioBuilder::expect_fails(std::string label) {
    return expect(expectation_of(Expectation::Kind::step_fails, std::move(label)));
}
ExpectationBuilder ScenarioBuilder::expect_states(std::string channel, std::vector<ConnectivityStateName> states) {
    if (states.empty()) fail("expect_states needs at least one state");
    Expectation e = expectation_of(Expectation::Kind::states_exactly, std::move(channel));
    e.states = std::move(states);
    return expect(std::move(e));
}
ExpectationBuilder ScenarioBuilder::expect_states_match(std::string channel, std::string pattern) {
    if (auto problem = check_state_pattern(pattern))
        fail(fmt::format("pattern \"{}\" at offset {}: {}", pattern, problem->offset, problem->message));
    Expectation e = expectation_of(Expectation::Kind::states_match, std::move(channel));
    e.pattern = std::move(pattern);
    return expect(std::move(e));
}
ExpectationBuilder ScenarioBuilder::expect_is(std::string channel, ConnectivityStateName state) {
    Expectation e = expectation_of(Expectation::Kind::reaches_state, std::move(channel));
    e.state = state;
    return expect(std::move(e));
}
ExpectationBuilder ScenarioBuilder::expect_rpcs_ok(std::string channel, std::uint32_t percent) {
    if (percent > 100) fail(fmt::format("percentage {}% is above 100%", percent));
    Expectation e = expectation_of(Expectation::Kind::success_ratio, std::move(channel));
    e.ratio_percent = percent;
    return expect(std::move(e));
}
ExpectationBuilder ScenarioBuilder::expect_rpcs_share(std::string server, std::uint32_t percent) {
    if (percent > 100) fail(fmt::format("percentage {}% is above 100%", percent));
    Expectation e = expectation_of(Expectation::Kind::server_share, std::move(server));
    e.ratio_percent = percent;
    return expect(std::move(e));
}
ExpectationBuilder ScenarioBuilder::expect_receives(std::string server) {
    return expect(expectation_of(Expectation::Kind::server_receives, std::move(server)));
}
ExpectationBuilder ScenarioBuilder::expect_never_receives(std::string server) {
    return expect(expectation_of(Expectation::Kind::server_never_receives, std::move(server)));
}
ExpectationBuilder ScenarioBuilder::expect_no_record(std::string kind) {
    return expect(expectation_of(Expectation::Kind::no_record, std::move(kind)));
}

Scenario ScenarioBuilder::build() const {
    for (const Required& r : required_)
        if (!r.given) fail(fmt::format("{} is missing {}", r.statement, r.part));
    Scenario s = scenario_;
    for (const Step& step : s.steps)
        if (step.actions.empty()) fail(fmt::format("step '{}' has no action", step.label));
    for (const Expectation& e : s.expectations)
        if (e.kind == Expectation::Kind::reaches_state && !e.within)
            fail(fmt::format("'{}' is missing within(D)", expectation_text(e)));
    for (const WorkloadSpec& w : s.workloads)
        if (w.until && *w.until < w.from) fail(fmt::format("rpcs '{}': until={} is before from={}", w.channel, *w.until, w.from));
    const NameChecks names = names_of(s, sysctls_);
    check(names.check());
    for (const ChannelSpec& c : s.channels) {
        policies::PolicyConfig config;
        for (const auto& [key, value] : c.policy_config) config.push_back({key, value});
        const auto found = policies::PolicyRegistry::builtin().lookup(c.policy, config);
        if (const auto* error = std::get_if<policies::PolicyConfigError>(&found))
            fail(fmt::format("channel '{}': {}", c.name, error->entry ? error->message : "unknown policy '" + c.policy + "'"));
    }
    for (const auto& [host, spec] : sysctls_) {
        auto found = std::find_if(s.hosts.begin(), s.hosts.end(), [&](const HostSpec& h) { return h.name == host; });
        SysctlSpec& into = found->sysctls;
        if (spec.ip_local_port_range) into.ip_local_port_range = spec.ip_local_port_range;
        if (spec.tcp_tw_reuse) into.tcp_tw_reuse = spec.tcp_tw_reuse;
        if (spec.time_wait) into.time_wait = spec.time_wait;
        if (spec.tcp_fin_timeout) into.tcp_fin_timeout = spec.tcp_fin_timeout;
    }
    for (Expectation& e : s.expectations) e.text = expectation_text(e);
    return s;
}

}  // namespace netsim::scenarios
