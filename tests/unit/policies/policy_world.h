// A small world for the policy tests: a client host (10.0.0.1, fd00::1) and backend hosts on a
// 1 ms default link, app::Server backends, a Channel, and readers of the trace records the
// channel layer writes (channel.state, subchannel.state, transport.connect, rpc.done).
#pragma once

#include "policies/channel.h"
#include "sim/app/server.h"
#include "sim/app/world.h"

#include "tests/support/catch.h"

#include <string>
#include <vector>

namespace netsim::testing {

inline net::SocketAddress addr(const char* ip, net::Port port = 50051) {
    return net::SocketAddress{*net::IpAddress::parse(ip), port};
}

inline SimulationOptions seeded(std::uint64_t seed) {
    SimulationOptions o;
    o.seed = seed;
    o.limits.max_events = 5'000'000;
    return o;
}

struct PolicyWorld {
    app::World world;
    net::HostId client_host;

    explicit PolicyWorld(std::uint64_t seed = 1) : world(seeded(seed)) {
        world.sim().trace().retain_records(true);
        world.network().set_default_link(net::LinkConfig{Duration::milliseconds(1)});
        client_host = world.add_host("client-host", {*net::IpAddress::parse("10.0.0.1"), *net::IpAddress::parse("fd00::1")});
    }

    Simulation& sim() { return world.sim(); }

    net::HostId host(std::string name, std::vector<const char*> ips) {
        std::vector<net::IpAddress> parsed;
        for (const char* ip : ips) parsed.push_back(*net::IpAddress::parse(ip));
        return world.add_host(std::move(name), std::move(parsed));
    }

    // A started server (SO_REUSEADDR unless told otherwise) answering after `service`.
    app::Server& server(net::HostId on, std::string name, net::SocketAddress address,
                        app::ListenerStrategy listener = app::ListenerStrategy::reuseaddr,
                        Duration service = Duration::milliseconds(1)) {
        app::ServerConfig config;
        config.address = address;
        config.listener = listener;
        config.service_low = service;
        config.service_high = service;
        app::Server& s = world.spawn<app::Server>(on, std::move(name), config);
        s.start();
        return s;
    }

    policies::Channel& channel(std::string policy, std::vector<net::SocketAddress> addresses,
                               policies::PolicyConfig policy_config = {}) {
        policies::ChannelConfig config;
        config.policy = std::move(policy);
        config.policy_config = std::move(policy_config);
        config.addresses = std::move(addresses);
        policies::Channel& ch = world.spawn<policies::Channel>(client_host, "client", std::move(config));
        ch.connect();  // leave idle mode at once, as a test calling ClientConn.Connect() does
        return ch;
    }

    // A channel left in idle mode: nothing connects until its first RPC or connect().
    policies::Channel& idle_channel(std::string policy, std::vector<net::SocketAddress> addresses) {
        policies::ChannelConfig config;
        config.policy = std::move(policy);
        config.addresses = std::move(addresses);
        return world.spawn<policies::Channel>(client_host, "client", std::move(config));
    }

    void run_until(Duration since_start) { sim().run_until(Instant::at(since_start)); }

    // Records of `kind`, optionally only those whose field `key` is `value`.
    std::vector<const TraceRecord*> records(std::string_view kind) {
        std::vector<const TraceRecord*> out;
        for (const TraceRecord& r : world.sim().trace().records())
            if (r.kind == kind) out.push_back(&r);
        return out;
    }

    // "IDLE->CONNECTING", ... for the channel.
    std::vector<std::string> channel_states() {
        std::vector<std::string> out;
        for (const TraceRecord* r : records("channel.state")) out.push_back(field(*r, "from") + "->" + field(*r, "to"));
        return out;
    }
    // "CONNECTING", "READY", ... entered by subchannel `id` (SHUTDOWN included).
    std::vector<std::string> subchannel_states(std::int64_t id) {
        std::vector<std::string> out;
        for (const TraceRecord* r : records("subchannel.state"))
            if (int_field(*r, "subchannel") == id) out.push_back(field(*r, "to"));
        return out;
    }
    // When the channel entered `state` (the first time at or after `after`).
    Instant channel_entered(std::string_view state, Instant after = Instant::start()) {
        for (const TraceRecord* r : records("channel.state"))
            if (r->at >= after && field(*r, "to") == state) return r->at;
        FAIL("the channel never entered " << state);
        return Instant::max();
    }
    // The addresses connect() was called for, in order, with the instant.
    std::vector<std::pair<Duration, std::string>> connects() {
        std::vector<std::pair<Duration, std::string>> out;
        for (const TraceRecord* r : records("transport.connect")) out.emplace_back(r->at.since_start(), field(*r, "address"));
        return out;
    }

    static std::string field(const TraceRecord& r, std::string_view key) {
        for (const TraceField& f : r.fields)
            if (f.key == key) return std::holds_alternative<std::string>(f.value) ? std::get<std::string>(f.value) : std::to_string(std::get<std::int64_t>(f.value));
        return {};
    }
    static std::int64_t int_field(const TraceRecord& r, std::string_view key) {
        for (const TraceField& f : r.fields)
            if (f.key == key && std::holds_alternative<std::int64_t>(f.value)) return std::get<std::int64_t>(f.value);
        return -1;
    }
};

// Collects RPC results; every RPC a test starts must end here exactly once.
// The policy tests' usual world: a client host and three backend hosts a, b, c (10.0.0.2-4).
struct ThreeBackends : PolicyWorld {
    using PolicyWorld::PolicyWorld;
    net::HostId a = host("a", {"10.0.0.2"});
    net::HostId b = host("b", {"10.0.0.3"});
    net::HostId c = host("c", {"10.0.0.4"});
};

struct RpcLog {
    std::vector<policies::RpcResult> results;

    std::uint32_t start(policies::Channel& channel, policies::RpcOptions options = {}) {
        return channel.start_rpc(options, [this](const policies::RpcResult& r) { results.push_back(r); });
    }
    const policies::RpcResult& of(std::uint32_t id) const {
        for (const auto& r : results)
            if (r.id == id) return r;
        FAIL("rpc " << id << " has no result");
        return results.front();
    }
    bool done(std::uint32_t id) const {
        for (const auto& r : results)
            if (r.id == id) return true;
        return false;
    }
};

// The oracles' first invariant: every RPC started has ended, once, with a status.
inline void require_every_rpc_ended(const policies::Channel& channel, const RpcLog& log) {
    REQUIRE(channel.rpcs_pending() == 0);
    REQUIRE(channel.rpcs_finished() == channel.rpcs_started());
    REQUIRE(log.results.size() == channel.rpcs_started());
}

}  // namespace netsim::testing
