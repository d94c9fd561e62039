// Who holds a port on a host: every socket bound to it, with its TCP state, its owner process
// and since when. A failed bind's report carries this one line, which is what turns a flaky
// "address already in use" into a diagnosis:
//   port 39795 held by tests#3 (LISTEN since 1.002000000s)
#pragma once

#include "sim/app/world.h"

#include <string>

namespace netsim::scenarios {

// "port P held by OWNER (STATE since T), ..." or "port P held by nobody now".
std::string describe_port_holders(app::World& world, net::HostId host, net::Port port);

}  // namespace netsim::scenarios
