#include "scenarios/model_diff.h"

#include "scenarios/values.h"

#include <fmt/format.h>

#include <optional>

namespace netsim::scenarios {

namespace {

std::string show(const std::string& s) { return fmt::format("'{}'", s); }
std::string show(Duration d) { return fmt::format("{}", d); }
std::string show(const net::IpAddress& ip) { return ip.to_string(); }
std::string show(const net::SocketAddress& a) { return a.to_string(); }
std::string show(bool b) { return b ? "true" : "false"; }
std::string show(int n) { return fmt::format("{}", n); }
std::string show(std::uint16_t n) { return fmt::format("{}", n); }
std::string show(std::uint32_t n) { return fmt::format("{}", n); }
std::string show(ListenerStrategy s) { return std::string(app::listener_strategy_name(s)); }
std::string show(NoiseKind k) { return std::string(noise_kind_name(k)); }
std::string show(ConnectivityStateName s) { return std::string(state_name(s)); }
std::string show(kernel::Errno e) { return std::string(kernel::errno_name(e)); }
std::string show(ActionKind k) { return fmt::format("action kind {}", static_cast<int>(k)); }
std::string show(Trigger::Kind k) { return fmt::format("trigger kind {}", static_cast<int>(k)); }
std::string show(Expectation::Kind k) { return fmt::format("expectation kind {}", static_cast<int>(k)); }
std::string show(const Rate& r) { return fmt::format("{}/{}", r.events, r.per); }
std::string show(const DurationRange& r) { return fmt::format("{}..{}", r.low, r.high); }
template <typename A, typename B>
std::string show(const std::pair<A, B>& p) { return fmt::format("({}, {})", show(p.first), show(p.second)); }
template <typename T>
std::string show(const std::optional<T>& o) { return o ? show(*o) : "(none)"; }

bool same(const Rate& a, const Rate& b) { return a.events == b.events && a.per == b.per; }
bool same(const DurationRange& a, const DurationRange& b) { return a.low == b.low && a.high == b.high; }
template <typename T>
bool same(const T& a, const T& b) { return a == b; }
template <typename T>
bool same(const std::optional<T>& a, const std::optional<T>& b) { return a.has_value() == b.has_value() && (!a || same(*a, *b)); }

class Differ {
public:
    template <typename T>
    void field(const std::string& path, const T& a, const T& b) {
        if (!same(a, b)) out.push_back(fmt::format("{}: {} vs {}", path, show(a), show(b)));
    }

    // Each element of two lists through `compare(path, a, b)`; a length mismatch is one difference.
    template <typename T, typename Compare>
    void list(const std::string& path, const std::vector<T>& a, const std::vector<T>& b, Compare compare) {
        if (a.size() != b.size()) out.push_back(fmt::format("{}: {} entries vs {}", path, a.size(), b.size()));
        for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) compare(fmt::format("{}[{}]", path, i), a[i], b[i]);
    }

    template <typename T>
    void values(const std::string& path, const std::vector<T>& a, const std::vector<T>& b) {
        list(path, a, b, [this](const std::string& p, const T& x, const T& y) { field(p, x, y); });
    }

    std::vector<std::string> out;
};

void compare_host(Differ& d, const std::string& p, const HostSpec& a, const HostSpec& b) {
    d.field(p + ".name", a.name, b.name);
    d.values(p + ".addresses", a.addresses, b.addresses);
    d.field(p + ".sysctls.ip_local_port_range", a.sysctls.ip_local_port_range, b.sysctls.ip_local_port_range);
    d.field(p + ".sysctls.tcp_tw_reuse", a.sysctls.tcp_tw_reuse, b.sysctls.tcp_tw_reuse);
    d.field(p + ".sysctls.time_wait", a.sysctls.time_wait, b.sysctls.time_wait);
    d.field(p + ".sysctls.tcp_fin_timeout", a.sysctls.tcp_fin_timeout, b.sysctls.tcp_fin_timeout);
}

void compare_link(Differ& d, const std::string& p, const LinkBetween& a, const LinkBetween& b) {
    d.field(p + ".a", a.a, b.a);
    d.field(p + ".b", a.b, b.b);
    d.field(p + ".latency", a.link.latency, b.link.latency);
    d.field(p + ".jitter", a.link.jitter, b.link.jitter);
    d.field(p + ".loss_numerator", a.link.loss_numerator, b.link.loss_numerator);
    d.field(p + ".loss_denominator", a.link.loss_denominator, b.link.loss_denominator);
}

void compare_server(Differ& d, const std::string& p, const ServerSpec& a, const ServerSpec& b) {
    d.field(p + ".name", a.name, b.name);
    d.field(p + ".host", a.host, b.host);
    d.field(p + ".address", a.address, b.address);
    d.field(p + ".listener", a.listener, b.listener);
    d.field(p + ".service_time", a.service_time, b.service_time);
    d.field(p + ".backlog", a.backlog, b.backlog);
    d.field(p + ".retry", a.retry, b.retry);
    d.field(p + ".timeout", a.timeout, b.timeout);
    d.field(p + ".started", a.started, b.started);
    d.field(p + ".load_cpu_percent", a.load_cpu_percent, b.load_cpu_percent);
    d.field(p + ".load_qps", a.load_qps, b.load_qps);
    d.field(p + ".load_eps", a.load_eps, b.load_eps);
}

void compare_noise(Differ& d, const std::string& p, const NoiseSpec& a, const NoiseSpec& b) {
    d.field(p + ".name", a.name, b.name);
    d.field(p + ".kind", a.kind, b.kind);
    d.field(p + ".host", a.host, b.host);
    d.field(p + ".processes", a.processes, b.processes);
    d.field(p + ".rate", a.rate, b.rate);
    d.field(p + ".hold", a.hold, b.hold);
    d.field(p + ".from", a.from, b.from);
    d.field(p + ".until", a.until, b.until);
    d.field(p + ".options.reuseaddr", a.options.reuseaddr, b.options.reuseaddr);
    d.field(p + ".options.reuseport", a.options.reuseport, b.options.reuseport);
    d.field(p + ".address", a.address, b.address);
    d.field(p + ".target", a.target, b.target);
    d.field(p + ".target_server", a.target_server, b.target_server);
    d.field(p + ".port", a.port, b.port);
}

void compare_channel(Differ& d, const std::string& p, const ChannelSpec& a, const ChannelSpec& b) {
    d.field(p + ".name", a.name, b.name);
    d.field(p + ".host", a.host, b.host);
    d.field(p + ".policy", a.policy, b.policy);
    d.values(p + ".policy_config", a.policy_config, b.policy_config);
    d.values(p + ".targets", a.targets, b.targets);
}

void compare_workload(Differ& d, const std::string& p, const WorkloadSpec& a, const WorkloadSpec& b) {
    d.field(p + ".channel", a.channel, b.channel);
    d.field(p + ".rate", a.rate, b.rate);
    d.field(p + ".from", a.from, b.from);
    d.field(p + ".until", a.until, b.until);
    d.field(p + ".deadline", a.deadline, b.deadline);
    d.field(p + ".wait_for_ready", a.wait_for_ready, b.wait_for_ready);
    d.field(p + ".key", a.key, b.key);
}

void compare_action(Differ& d, const std::string& p, const Action& a, const Action& b) {
    d.field(p + ".kind", a.kind, b.kind);
    d.field(p + ".subject", a.subject, b.subject);
    d.field(p + ".other", a.other, b.other);
    d.values(p + ".addresses", a.addresses, b.addresses);
    d.field(p + ".count", a.count, b.count);
    d.field(p + ".deadline", a.deadline, b.deadline);
    d.field(p + ".wait_for_ready", a.wait_for_ready, b.wait_for_ready);
    d.field(p + ".key", a.key, b.key);
    d.field(p + ".load_cpu_percent", a.load_cpu_percent, b.load_cpu_percent);
    d.field(p + ".load_qps", a.load_qps, b.load_qps);
    d.field(p + ".load_eps", a.load_eps, b.load_eps);
}

void compare_step(Differ& d, const std::string& p, const Step& a, const Step& b) {
    d.field(p + ".label", a.label, b.label);
    d.field(p + ".trigger.kind", a.trigger.kind, b.trigger.kind);
    d.field(p + ".trigger.offset", a.trigger.offset, b.trigger.offset);
    d.field(p + ".trigger.step", a.trigger.step, b.trigger.step);
    d.field(p + ".trigger.channel", a.trigger.channel, b.trigger.channel);
    d.field(p + ".trigger.state", a.trigger.state, b.trigger.state);
    d.list(p + ".actions", a.actions, b.actions,
           [&d](const std::string& q, const Action& x, const Action& y) { compare_action(d, q, x, y); });
    d.field(p + ".unordered", a.unordered, b.unordered);
}

void compare_expectation(Differ& d, const std::string& p, const Expectation& a, const Expectation& b) {
    d.field(p + ".kind", a.kind, b.kind);
    d.field(p + ".subject", a.subject, b.subject);
    d.field(p + ".error", a.error, b.error);
    d.values(p + ".states", a.states, b.states);
    d.field(p + ".pattern", a.pattern, b.pattern);
    d.field(p + ".state", a.state, b.state);
    d.field(p + ".within", a.within, b.within);
    d.field(p + ".after_step", a.after_step, b.after_step);
    d.field(p + ".ratio_percent", a.ratio_percent, b.ratio_percent);
    d.field(p + ".at_most", a.at_most, b.at_most);
    d.field(p + ".from", a.from, b.from);
    d.field(p + ".until", a.until, b.until);
    d.field(p + ".text", a.text, b.text);
}

template <typename T>
auto with(Differ& d, void (*compare)(Differ&, const std::string&, const T&, const T&)) {
    return [&d, compare](const std::string& p, const T& a, const T& b) { compare(d, p, a, b); };
}

}  // namespace

std::vector<std::string> model_differences(const Scenario& a, const Scenario& b) {
    Differ d;
    d.field("name", a.name, b.name);
    d.field("description", a.description, b.description);
    d.list("params", a.params, b.params, [&d](const std::string& p, const Parameter& x, const Parameter& y) {
        d.field(p + ".name", x.name, y.name);
        d.field(p + ".value", x.value, y.value);
    });
    d.list("hosts", a.hosts, b.hosts, with(d, compare_host));
    d.list("links", a.links, b.links, with(d, compare_link));
    d.list("servers", a.servers, b.servers, with(d, compare_server));
    d.list("noise", a.noise, b.noise, with(d, compare_noise));
    d.list("channels", a.channels, b.channels, with(d, compare_channel));
    d.list("workloads", a.workloads, b.workloads, with(d, compare_workload));
    d.list("steps", a.steps, b.steps, with(d, compare_step));
    d.list("expectations", a.expectations, b.expectations, with(d, compare_expectation));
    d.field("end", a.end, b.end);
    return d.out;
}

}  // namespace netsim::scenarios
