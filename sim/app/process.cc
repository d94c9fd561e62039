// A process's identity: registered with the world, bound to its host's kernel.
#include "sim/app/process.h"

namespace netsim::app {

Process::Process(World& world, net::HostId host, std::string name)
    : world_(world), host_(host), name_(std::move(name)), kernel_(world.kernel(host)),
      id_(world.register_process(name_)) {}

}  // namespace netsim::app
