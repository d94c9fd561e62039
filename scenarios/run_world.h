// The world of one scenario run: built from (scenario, seed), it owns the app::World and knows
// every server, noise process and channel by its scenario name. Channels are given their
// servers' addresses through their resolvers as soon as the servers have them (port 0 is
// resolved at the first start), and again whenever a server moves (random_port).
#pragma once

#include "policies/channel.h"
#include "scenarios/model.h"
#include "sim/app/noise.h"
#include "sim/app/server.h"
#include "sim/app/world.h"

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace netsim::scenarios {

// Who sees the run's trace records, set up before the world is built so that they see the
// records its construction reports (a channel's `channel.create`).
struct WorldTracing {
    TraceSink* sink = nullptr;
    bool keep_records = false;
    bool hash = true;  // off: see Trace::stop_hashing
};

class RunWorld {
public:
    RunWorld(const Scenario& scenario, std::uint64_t seed, const WorldTracing& tracing = {});
    RunWorld(const RunWorld&) = delete;
    RunWorld& operator=(const RunWorld&) = delete;

    const Scenario& scenario() const { return scenario_; }
    app::World& world() { return world_; }
    Simulation& sim() { return world_.sim(); }
    net::HostId host(const std::string& name) const { return hosts_.at(name); }
    app::Server& server(const std::string& name) { return *servers_.at(name); }
    policies::Channel& channel(const std::string& name) { return *channels_.at(name); }
    const std::map<std::string, app::Server*>& servers() const { return servers_; }
    const std::map<std::string, policies::Channel*>& channels() const { return channels_; }

    // Publishes the current addresses of `servers` (in that order; servers without an address
    // yet are left out) to the channel's resolver, and remembers them as its target list.
    void resolve(const std::string& channel, const std::vector<std::string>& servers);
    // Starts what runs from the beginning: `started` servers, noise, workloads' first RPCs are
    // scheduled by the timeline.
    void begin();
    // Every server ever resolved for the channel: the backends its RPCs may be answered by.
    const std::set<kernel::ProcessId>& intended_backends(const std::string& channel) { return intended_[channel]; }

private:
    void build_hosts();
    void build_servers();
    void build_noise();
    void build_channels();
    void on_server_moved(const std::string& server);

    const Scenario& scenario_;
    app::World world_;
    std::map<std::string, net::HostId> hosts_;
    std::map<std::string, app::Server*> servers_;
    std::map<std::string, policies::Channel*> channels_;
    std::map<std::string, std::vector<std::string>> targets_;  // channel -> servers it resolves
    std::map<std::string, std::set<kernel::ProcessId>> intended_;
    bool beginning_ = false;
    std::vector<app::NoiseListeners*> noise_listeners_;
    std::vector<app::NoiseConnects*> noise_connects_;
    std::vector<app::NoiseHolders*> noise_holders_;
    std::map<std::string, std::vector<app::NoiseListeners*>> listener_groups_;  // noise name -> processes
};

}  // namespace netsim::scenarios
