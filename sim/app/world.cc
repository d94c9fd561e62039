// The world's ownership: hosts with their kernels, processes with their names.
#include "sim/app/world.h"

#include "sim/app/process.h"
#include "sim/core/check.h"

namespace netsim::app {

World::World(SimulationOptions options) : sim_(options), network_(sim_) {
    process_names_.emplace_back("kernel");
}

World::~World() {
    // Processes may hold references to kernels: drop them first, newest first.
    while (!processes_.empty()) processes_.pop_back();
    while (!kernels_.empty()) kernels_.pop_back();
}

net::HostId World::add_host(std::string name, std::vector<net::IpAddress> addresses, kernel::Sysctls sysctls) {
    const net::HostId id = network_.add_host(std::move(name), std::move(addresses));
    NETSIM_CHECK(id.value == kernels_.size());
    kernels_.push_back(std::make_unique<kernel::Kernel>(sim_, network_, id, std::move(sysctls)));
    return id;
}

kernel::Kernel& World::kernel(net::HostId host) {
    NETSIM_CHECK_MSG(host.value < kernels_.size(), "no host {}", host);
    return *kernels_[host.value];
}

std::optional<net::HostId> World::find_host(std::string_view name) const {
    for (std::uint32_t i = 0; i < kernels_.size(); ++i)
        if (network_.host(net::HostId{i}).name == name) return net::HostId{i};
    return std::nullopt;
}

kernel::ProcessId World::register_process(std::string name) {
    process_names_.push_back(std::move(name));
    return kernel::ProcessId{static_cast<std::uint32_t>(process_names_.size() - 1)};
}

std::string_view World::process_name(kernel::ProcessId id) const {
    if (id.value >= process_names_.size()) return "?";
    return process_names_[id.value];
}

}  // namespace netsim::app
