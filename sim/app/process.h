// A simulated process: it lives on one host, holds descriptors through that host's kernel, and
// can crash (every descriptor closed at once, as Linux does on exit). Processes see each other
// only through sockets. Concrete processes (servers, noise, client channels) derive from it and
// are owned by the World.
#pragma once

#include "sim/app/world.h"

#include <string>

namespace netsim::app {

class Process {
public:
    Process(World& world, net::HostId host, std::string name);
    Process(const Process&) = delete;
    Process& operator=(const Process&) = delete;
    virtual ~Process() = default;

    kernel::ProcessId id() const { return id_; }
    const std::string& name() const { return name_; }
    net::HostId host() const { return host_; }
    World& world() { return world_; }
    Simulation& sim() { return world_.sim(); }
    kernel::Kernel& kernel() { return kernel_; }

    // A socket of this process.
    kernel::Result<kernel::Fd> open_socket(net::IpFamily family) { return kernel_.socket(family, id_); }
    // The process dies: the kernel closes every descriptor it holds.
    void kill() { kernel_.kill_process(id_); }

private:
    World& world_;
    net::HostId host_;
    std::string name_;
    kernel::Kernel& kernel_;
    kernel::ProcessId id_;
};

}  // namespace netsim::app
