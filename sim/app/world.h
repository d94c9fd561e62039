// One run's world: the simulation, the network, one kernel per host and the processes, owned in
// one place and destroyed in the right order (processes, then kernels, then the network, then
// the simulation), so that a fuzzer can build and drop thousands of worlds a second. Processes
// get world-unique ids and names; they reach each other only through their kernels' sockets.
#pragma once

#include "sim/core/simulation.h"
#include "sim/kernel/kernel.h"
#include "sim/net/network.h"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace netsim::app {

class Process;

class World {
public:
    explicit World(SimulationOptions options);
    World(const World&) = delete;
    World& operator=(const World&) = delete;
    ~World();

    Simulation& sim() { return sim_; }
    net::Network& network() { return network_; }

    // A host with its kernel. Names must be unique.
    net::HostId add_host(std::string name, std::vector<net::IpAddress> addresses = {}, kernel::Sysctls sysctls = {});
    kernel::Kernel& kernel(net::HostId host);
    std::optional<net::HostId> find_host(std::string_view name) const;

    // Creates a process of type P, constructed as P(world, host, name, args...), owned by the world.
    template <typename P, typename... Args>
    P& spawn(net::HostId host, std::string name, Args&&... args) {
        auto process = std::make_unique<P>(*this, host, std::move(name), std::forward<Args>(args)...);
        P& ref = *process;
        processes_.push_back(std::move(process));
        return ref;
    }

    // Called by Process's constructor: a world-unique id for a process named `name`.
    kernel::ProcessId register_process(std::string name);
    // "noise-listeners#3", "a", ...; "?" for an id the world never gave out.
    std::string_view process_name(kernel::ProcessId id) const;
    std::size_t process_count() const { return processes_.size(); }

private:
    // Declaration order is destruction order, reversed: processes go first, the simulation last.
    Simulation sim_;
    net::Network network_;
    std::vector<std::unique_ptr<kernel::Kernel>> kernels_;  // by HostId
    std::vector<std::string> process_names_;                 // by ProcessId (0 is the kernel's own)
    std::vector<std::unique_ptr<Process>> processes_;
};

}  // namespace netsim::app
