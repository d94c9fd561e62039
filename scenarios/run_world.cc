// Building a scenario's world (see run_world.h).
#include "scenarios/run_world.h"

#include "sim/core/check.h"

namespace netsim::scenarios {

namespace {

SimulationOptions options_for(std::uint64_t seed) {
    SimulationOptions options;
    options.seed = seed;
    options.limits.max_events = 50'000'000;  // a runaway scenario ends with "limit reached"
    return options;
}

kernel::Sysctls sysctls_for(const SysctlSpec& spec) {
    kernel::Sysctls s;
    if (spec.ip_local_port_range) {
        s.ip_local_port_range_low = spec.ip_local_port_range->first;
        s.ip_local_port_range_high = spec.ip_local_port_range->second;
    }
    if (spec.tcp_tw_reuse) s.tcp_tw_reuse = *spec.tcp_tw_reuse;
    if (spec.time_wait) s.time_wait = *spec.time_wait;
    if (spec.tcp_fin_timeout) s.tcp_fin_timeout = *spec.tcp_fin_timeout;
    return s;
}

// Poisson arrivals of one of `processes` processes sharing `rate`: mean gap per / (events / n).
app::NoiseTiming timing_for(const NoiseSpec& spec, Duration end) {
    NETSIM_CHECK(spec.rate.events > 0 && spec.processes > 0);
    app::NoiseTiming t;
    t.mean_gap = Duration::nanoseconds(spec.rate.per.count_ns() * spec.processes /
                                       static_cast<std::int64_t>(spec.rate.events));
    if (t.mean_gap <= Duration::zero()) t.mean_gap = Duration::nanoseconds(1);
    t.hold_low = spec.hold.low;
    t.hold_high = spec.hold.high;
    t.from = Instant::at(spec.from);
    t.until = Instant::at(spec.until ? std::min(*spec.until, end) : end);
    return t;
}

}  // namespace

RunWorld::RunWorld(const Scenario& scenario, std::uint64_t seed, const WorldTracing& tracing)
    : scenario_(scenario), world_(options_for(seed)) {
    Trace& trace = world_.sim().trace();
    if (!tracing.hash) trace.stop_hashing();
    trace.retain_records(tracing.keep_records);
    if (tracing.sink != nullptr) trace.add_sink(tracing.sink);
    build_hosts();
    build_servers();
    build_noise();
    build_channels();
}

void RunWorld::build_hosts() {
    for (const HostSpec& h : scenario_.hosts)
        hosts_.emplace(h.name, world_.add_host(h.name, h.addresses, sysctls_for(h.sysctls)));
    for (const LinkBetween& l : scenario_.links) {
        net::LinkConfig config{l.link.latency, l.link.jitter, l.link.loss_numerator, l.link.loss_denominator};
        world_.network().set_link(hosts_.at(l.a), hosts_.at(l.b), config);
    }
}

void RunWorld::build_servers() {
    for (const ServerSpec& s : scenario_.servers) {
        app::ServerConfig config;
        config.address = s.address;
        config.listener = s.listener;
        config.service_low = s.service_time.low;
        config.service_high = s.service_time.high;
        config.backlog = s.backlog;
        config.retry = s.retry;
        config.timeout = s.timeout;
        if (s.load_cpu_percent) config.load_report = app::LoadReport{s.load_qps, *s.load_cpu_percent * 10, s.load_eps};
        app::Server& server = world_.spawn<app::Server>(hosts_.at(s.host), s.name, config);
        servers_.emplace(s.name, &server);
        server.on_address_change([this, name = s.name](const net::SocketAddress&) { on_server_moved(name); });
    }
}

void RunWorld::build_noise() {
    for (const NoiseSpec& n : scenario_.noise) {
        // A rate of zero (`--set noise_listen_rate=0/s`) turns the group off: nothing arrives.
        if (n.rate.events == 0) continue;
        const net::HostId host = hosts_.at(n.host);
        const app::NoiseTiming timing = timing_for(n, scenario_.end);
        for (int i = 1; i <= n.processes; ++i) {
            const std::string name = n.processes == 1 ? n.name : fmt::format("{}#{}", n.name, i);
            switch (n.kind) {
                case NoiseKind::listeners: {
                    app::NoiseListenerOptions options;
                    options.address = n.address;
                    options.reuseaddr = n.options.reuseaddr;
                    options.reuseport = n.options.reuseport;
                    auto& p = world_.spawn<app::NoiseListeners>(host, name, timing, options);
                    noise_listeners_.push_back(&p);
                    listener_groups_[n.name].push_back(&p);
                    break;
                }
                case NoiseKind::connects: {
                    app::NoiseConnects::Target target;
                    if (n.target) {
                        target = [address = *n.target](Rng&) -> std::optional<net::SocketAddress> { return address; };
                    } else if (n.target_server && servers_.contains(*n.target_server)) {
                        app::Server* server = servers_.at(*n.target_server);
                        target = [server](Rng&) { return server->address(); };
                    } else {
                        // The live listeners of a noise group (the parser checked the name), or
                        // of every listeners group when no target is named.
                        const std::vector<app::NoiseListeners*>* pool =
                            n.target_server ? &listener_groups_[*n.target_server] : &noise_listeners_;
                        target = [pool](Rng& rng) -> std::optional<net::SocketAddress> {
                            std::size_t live = 0;
                            for (const auto* p : *pool) live += p->live_count();
                            if (live == 0) return std::nullopt;
                            auto k = static_cast<std::size_t>(rng.below(live));
                            for (const auto* p : *pool) {
                                if (k < p->live_count()) return p->live_address(k);
                                k -= p->live_count();
                            }
                            NETSIM_CHECK_MSG(false, "live listener {} not found", k);
                            return std::nullopt;
                        };
                    }
                    noise_connects_.push_back(&world_.spawn<app::NoiseConnects>(host, name, timing, target));
                    break;
                }
                case NoiseKind::holders:
                    noise_holders_.push_back(&world_.spawn<app::NoiseHolders>(
                        host, name, timing, net::SocketAddress{n.address, n.port}));
                    break;
            }
        }
    }
}

void RunWorld::build_channels() {
    for (const ChannelSpec& c : scenario_.channels) {
        policies::ChannelConfig config;
        config.policy = c.policy;
        for (const auto& [key, value] : c.policy_config) config.policy_config.push_back({key, value});
        auto& channel = world_.spawn<policies::Channel>(hosts_.at(c.host), c.name, config);
        channels_.emplace(c.name, &channel);
        targets_[c.name] = c.targets;
    }
}

void RunWorld::begin() {
    beginning_ = true;
    for (const ServerSpec& s : scenario_.servers)
        if (s.started) servers_.at(s.name)->start();
    beginning_ = false;
    for (auto* p : noise_listeners_) p->begin();
    for (auto* p : noise_connects_) p->begin();
    for (auto* p : noise_holders_) p->begin();
    for (const auto& [channel, servers] : targets_) resolve(channel, servers);
}

void RunWorld::resolve(const std::string& channel, const std::vector<std::string>& servers) {
    targets_[channel] = servers;
    for (const std::string& name : servers) intended_[channel].insert(servers_.at(name)->id());
    std::vector<net::SocketAddress> addresses;
    for (const std::string& name : servers)
        if (const auto& a = servers_.at(name)->address()) addresses.push_back(*a);
    channels_.at(channel)->resolver().update(std::move(addresses));
}

void RunWorld::on_server_moved(const std::string& server) {
    // A server that got its first address, or a new one (random_port), is published to every
    // channel that resolves it, as a test's resolver update would.
    if (beginning_) return;  // begin() resolves every channel once its servers have started
    for (const auto& [channel, servers] : targets_)
        if (std::find(servers.begin(), servers.end(), server) != servers.end()) resolve(channel, servers);
}

}  // namespace netsim::scenarios
