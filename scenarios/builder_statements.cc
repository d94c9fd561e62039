// The builder's statement handles: one method per word of a statement (builder.h).
#include "scenarios/builder.h"

#include "scenarios/builder_support.h"
#include "scenarios/expectation_text.h"
#include "scenarios/host_addresses.h"
#include "scenarios/values.h"

#include <fmt/format.h>

namespace netsim::scenarios {

using namespace builder_support;

namespace {

Action action_of(ActionKind kind, std::string subject, std::string other = {}, std::vector<std::string> addresses = {}) {
    Action a;
    a.kind = kind;
    a.subject = std::move(subject);
    a.other = std::move(other);
    a.addresses = std::move(addresses);
    return a;
}

}  // namespace

// ---- the world ----------------------------------------------------------------------------

HostSpec& HostBuilder::spec() { return b_->scenario_.hosts[i_]; }
HostBuilder& HostBuilder::address(std::string_view ip) {
    const net::IpAddress address = value_or_throw(parse_ip_address(ip, {}));
    if (auto problem = host_address_problem(address, b_->scenario_.hosts)) fail(fmt::format("host '{}': {}", spec().name, *problem));
    spec().addresses.push_back(address);
    return *this;
}
HostBuilder& HostBuilder::addresses(std::initializer_list<std::string_view> ips) {
    for (std::string_view ip : ips) address(ip);
    return *this;
}

SysctlSpec& SysctlBuilder::spec() { return b_->sysctls_[i_].second; }
SysctlBuilder& SysctlBuilder::ip_local_port_range(net::Port low, net::Port high) {
    if (low < 1024 || high < low) fail(fmt::format("ip_local_port_range {}-{}: need 1024 <= low <= high", low, high));
    spec().ip_local_port_range = std::pair{low, high};
    return *this;
}
SysctlBuilder& SysctlBuilder::tcp_tw_reuse(int mode) {
    if (mode < 0 || mode > 2) fail(fmt::format("tcp_tw_reuse {} is out of range 0..2", mode));
    spec().tcp_tw_reuse = mode;
    return *this;
}
SysctlBuilder& SysctlBuilder::time_wait(Duration d) {
    spec().time_wait = d;
    return *this;
}
SysctlBuilder& SysctlBuilder::tcp_fin_timeout(Duration d) {
    spec().tcp_fin_timeout = d;
    return *this;
}

LinkBetween& LinkBuilder::spec() { return b_->scenario_.links[i_]; }
LinkBuilder& LinkBuilder::latency(Duration d) {
    spec().link.latency = d;
    return *this;
}
LinkBuilder& LinkBuilder::jitter(Duration d) {
    spec().link.jitter = d;
    return *this;
}
LinkBuilder& LinkBuilder::loss(std::uint32_t numerator, std::uint32_t denominator) {
    if (denominator == 0 || numerator > denominator) fail(fmt::format("loss {}/{} is not a ratio in 0..1", numerator, denominator));
    spec().link.loss_numerator = numerator;
    spec().link.loss_denominator = denominator;
    return *this;
}

ServerSpec& ServerBuilder::spec() { return b_->scenario_.servers[i_]; }
ServerBuilder& ServerBuilder::on(std::string host) {
    spec().host = std::move(host);
    b_->required_[b_->server_on_[i_]].given = true;
    return *this;
}
ServerBuilder& ServerBuilder::at(std::string_view address) {
    spec().address = value_or_throw(parse_socket_address(address, {}));
    b_->required_[b_->server_at_[i_]].given = true;
    return *this;
}
ServerBuilder& ServerBuilder::listener(ListenerStrategy strategy) {
    spec().listener = strategy;
    return *this;
}
ServerBuilder& ServerBuilder::service_time(Duration d) { return service_time(d, d); }
ServerBuilder& ServerBuilder::service_time(Duration low, Duration high) {
    spec().service_time = window(low, high);
    return *this;
}
ServerBuilder& ServerBuilder::backlog(int n) {
    if (n < 0 || n > 65535) fail(fmt::format("backlog {} is out of range 0..65535", n));
    spec().backlog = n;
    return *this;
}
ServerBuilder& ServerBuilder::retry(Duration d) {
    if (d < min_bind_retry) fail(fmt::format("retry={} is shorter than {}", d, min_bind_retry));
    spec().retry = d;
    return *this;
}
ServerBuilder& ServerBuilder::timeout(Duration d) {
    spec().timeout = d;
    return *this;
}
ServerBuilder& ServerBuilder::load(std::uint32_t cpu_percent, std::uint32_t qps, std::uint32_t eps) {
    spec().load_cpu_percent = cpu_percent;
    spec().load_qps = qps;
    spec().load_eps = eps;
    return *this;
}
ServerBuilder& ServerBuilder::started(bool on) {
    spec().started = on;
    return *this;
}

NoiseSpec& NoiseBuilder::spec() { return b_->scenario_.noise[i_]; }
void NoiseBuilder::only_for(bool applies, std::string_view key) {
    if (!applies) fail(fmt::format("'{}' does not apply to {} noise", key, noise_kind_name(spec().kind)));
}
NoiseBuilder& NoiseBuilder::on(std::string host) {
    spec().host = std::move(host);
    b_->required_[b_->noise_on_[i_]].given = true;
    return *this;
}
NoiseBuilder& NoiseBuilder::processes(int n) {
    if (n < 1 || n > 1024) fail(fmt::format("processes {} is out of range 1..1024", n));
    spec().processes = n;
    return *this;
}
NoiseBuilder& NoiseBuilder::rate(std::uint64_t events, Duration per) {
    spec().rate = rate_of(events, per);
    b_->required_[b_->noise_rate_[i_]].given = true;
    return *this;
}
NoiseBuilder& NoiseBuilder::hold(Duration d) { return hold(d, d); }
NoiseBuilder& NoiseBuilder::hold(Duration low, Duration high) {
    spec().hold = window(low, high);
    return *this;
}
NoiseBuilder& NoiseBuilder::from(Duration d) {
    spec().from = d;
    return *this;
}
NoiseBuilder& NoiseBuilder::until(Duration d) {
    spec().until = d;
    return *this;
}
NoiseBuilder& NoiseBuilder::reuseaddr(bool on) {
    only_for(spec().kind != NoiseKind::connects, "reuseaddr");
    spec().options.reuseaddr = on;
    return *this;
}
NoiseBuilder& NoiseBuilder::reuseport(bool on) {
    only_for(spec().kind != NoiseKind::connects, "reuseport");
    spec().options.reuseport = on;
    return *this;
}
NoiseBuilder& NoiseBuilder::at(std::string_view ip) {
    only_for(spec().kind != NoiseKind::connects, "at");
    spec().address = value_or_throw(parse_ip_address(ip, {}));
    return *this;
}
NoiseBuilder& NoiseBuilder::target(std::string_view text) {
    only_for(spec().kind == NoiseKind::connects, "target");
    NoiseTarget target = value_or_throw(parse_noise_target(text, {}));
    if (auto* server = std::get_if<std::string>(&target)) spec().target_server = *server;
    else spec().target = std::get<net::SocketAddress>(target);
    return *this;
}
NoiseBuilder& NoiseBuilder::port(net::Port p) {
    only_for(spec().kind == NoiseKind::holders, "port");
    spec().port = p;
    b_->required_[b_->noise_port_[i_]].given = true;
    return *this;
}

ChannelSpec& ChannelBuilder::spec() { return b_->scenario_.channels[i_]; }
ChannelBuilder& ChannelBuilder::on(std::string host) {
    spec().host = std::move(host);
    b_->required_[b_->channel_on_[i_]].given = true;
    return *this;
}
ChannelBuilder& ChannelBuilder::policy(std::string name) {
    if (!is_identifier(name)) fail(fmt::format("expected a policy name like pick_first, got '{}'", name));
    spec().policy = std::move(name);
    return *this;
}
ChannelBuilder& ChannelBuilder::targets(std::vector<std::string> servers) {
    for (std::string& server : servers) spec().targets.push_back(std::move(server));
    return *this;
}
ChannelBuilder& ChannelBuilder::config(std::string key, std::string value) {
    spec().policy_config.emplace_back(std::move(key), std::move(value));
    return *this;
}

WorkloadSpec& RpcsBuilder::spec() { return b_->scenario_.workloads[i_]; }
RpcsBuilder& RpcsBuilder::rate(std::uint64_t events, Duration per) {
    spec().rate = rate_of(events, per);
    b_->required_[b_->rpcs_rate_[i_]].given = true;
    return *this;
}
RpcsBuilder& RpcsBuilder::from(Duration t) {
    spec().from = t;
    return *this;
}
RpcsBuilder& RpcsBuilder::until(Duration t) {
    spec().until = t;
    return *this;
}
RpcsBuilder& RpcsBuilder::deadline(Duration d) {
    spec().deadline = d;
    return *this;
}
RpcsBuilder& RpcsBuilder::wait_for_ready(bool on) {
    spec().wait_for_ready = on;
    return *this;
}
RpcsBuilder& RpcsBuilder::key(std::string k) {
    spec().key = std::move(k);
    return *this;
}

// ---- the timeline -------------------------------------------------------------------------

Step& StepBuilder::spec() { return b_->scenario_.steps[i_]; }
StepBuilder& StepBuilder::as(std::string label) {
    if (!is_step_label(label)) fail(fmt::format("expected a step label (an identifier or step@LINE), got '{}'", label));
    spec().label = std::move(label);
    return *this;
}
StepBuilder& StepBuilder::in_any_order() {
    if (!spec().actions.empty()) fail(fmt::format("step '{}': in_any_order() must come before its actions", spec().label));
    spec().unordered = true;
    return *this;
}
StepBuilder& StepBuilder::add(Action action) {
    if (!spec().unordered && !spec().actions.empty())
        fail(fmt::format("step '{}' has one action (use in_any_order() for a group)", spec().label));
    spec().actions.push_back(std::move(action));
    return *this;
}
StepBuilder& StepBuilder::start(std::string server) { return add(action_of(ActionKind::start, std::move(server))); }
StepBuilder& StepBuilder::stop(std::string server) { return add(action_of(ActionKind::stop, std::move(server))); }
StepBuilder& StepBuilder::graceful_stop(std::string server) { return add(action_of(ActionKind::graceful_stop, std::move(server))); }
StepBuilder& StepBuilder::crash(std::string server) { return add(action_of(ActionKind::crash, std::move(server))); }
StepBuilder& StepBuilder::restart(std::string server) { return add(action_of(ActionKind::restart, std::move(server))); }
StepBuilder& StepBuilder::pause(std::string server) { return add(action_of(ActionKind::pause, std::move(server))); }
StepBuilder& StepBuilder::resume(std::string server) { return add(action_of(ActionKind::resume, std::move(server))); }
StepBuilder& StepBuilder::partition(std::string host_a, std::string host_b) {
    if (host_a == host_b) fail("'partition' needs two different hosts");
    return add(action_of(ActionKind::partition, std::move(host_a), std::move(host_b)));
}
StepBuilder& StepBuilder::heal(std::string host_a, std::string host_b) {
    if (host_a == host_b) fail("'heal' needs two different hosts");
    return add(action_of(ActionKind::heal, std::move(host_a), std::move(host_b)));
}
StepBuilder& StepBuilder::resolve(std::string channel, std::vector<std::string> servers) {
    return add(action_of(ActionKind::resolve, std::move(channel), {}, std::move(servers)));
}
StepBuilder& StepBuilder::resolver_error(std::string channel) { return add(action_of(ActionKind::resolver_error, std::move(channel))); }
StepBuilder& StepBuilder::rpc(std::string channel) { return add(action_of(ActionKind::rpc, std::move(channel))); }
StepBuilder& StepBuilder::connect(std::string channel) { return add(action_of(ActionKind::connect, std::move(channel))); }
StepBuilder& StepBuilder::load(std::string server, std::uint32_t cpu_percent, std::uint32_t qps, std::uint32_t eps) {
    Action a = action_of(ActionKind::load, std::move(server));
    a.load_cpu_percent = cpu_percent;
    a.load_qps = qps;
    a.load_eps = eps;
    return add(std::move(a));
}
Action& StepBuilder::last_rpc(std::string_view modifier) {
    if (spec().actions.empty() || spec().actions.back().kind != ActionKind::rpc)
        fail(fmt::format("step '{}': {}() modifies an rpc() action, and none was just added", spec().label, modifier));
    return spec().actions.back();
}
StepBuilder& StepBuilder::count(int n) {
    if (n < 1 || n > 1'000'000) fail(fmt::format("count {} is out of range 1..1000000", n));
    last_rpc("count").count = n;
    return *this;
}
StepBuilder& StepBuilder::deadline(Duration d) {
    last_rpc("deadline").deadline = d;
    return *this;
}
StepBuilder& StepBuilder::wait_for_ready(bool on) {
    last_rpc("wait_for_ready").wait_for_ready = on;
    return *this;
}
StepBuilder& StepBuilder::key(std::string k) {
    last_rpc("key").key = std::move(k);
    return *this;
}

// ---- expectations -------------------------------------------------------------------------

Expectation& ExpectationBuilder::spec() { return b_->scenario_.expectations[i_]; }
void ExpectationBuilder::only_for(bool applies, std::string_view part) {
    if (!applies) fail(fmt::format("{}() does not apply to '{}'", part, expectation_text(spec())));
}
ExpectationBuilder& ExpectationBuilder::with(kernel::Errno error) {
    only_for(spec().kind == Expectation::Kind::step_fails, "with");
    spec().error = error;
    return *this;
}
ExpectationBuilder& ExpectationBuilder::within(Duration d) {
    only_for(spec().kind == Expectation::Kind::reaches_state || spec().kind == Expectation::Kind::server_receives, "within");
    spec().within = d;
    return *this;
}
ExpectationBuilder& ExpectationBuilder::after(std::string label) {
    only_for(spec().kind == Expectation::Kind::reaches_state || spec().kind == Expectation::Kind::server_receives ||
                 spec().kind == Expectation::Kind::server_never_receives,
             "after");
    spec().after_step = std::move(label);
    return *this;
}
ExpectationBuilder& ExpectationBuilder::from(Duration t) {
    only_for(spec().kind == Expectation::Kind::success_ratio || spec().kind == Expectation::Kind::server_share, "from");
    spec().from = t;
    return *this;
}
ExpectationBuilder& ExpectationBuilder::until(Duration t) {
    only_for(spec().kind == Expectation::Kind::success_ratio || spec().kind == Expectation::Kind::server_share, "until");
    spec().until = t;
    return *this;
}
ExpectationBuilder& ExpectationBuilder::at_most() {
    only_for(spec().kind == Expectation::Kind::success_ratio || spec().kind == Expectation::Kind::server_share, "at_most");
    spec().at_most = true;
    return *this;
}

}  // namespace netsim::scenarios
