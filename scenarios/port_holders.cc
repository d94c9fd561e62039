// Describing the sockets that hold a port (see port_holders.h).
#include "scenarios/port_holders.h"

#include "sim/kernel/tcp_state.h"

namespace netsim::scenarios {

std::string describe_port_holders(app::World& world, net::HostId host, net::Port port) {
    std::string out = fmt::format("port {} held by ", port);
    bool any = false;
    for (const kernel::SocketView& s : world.kernel(host).sockets()) {
        if (!s.local || s.local->port != port || (s.state == kernel::TcpState::closed && !s.fd)) continue;
        if (any) out += ", ";
        any = true;
        const std::string_view owner = s.fd ? world.process_name(s.process) : std::string_view("the kernel");
        // A socket that is only bound has been CLOSED since it was created; say since when it
        // holds the port instead.
        const Instant since = s.state == kernel::TcpState::closed ? s.bound_since : s.state_since;
        out += fmt::format("{} ({} since {}s", owner, kernel::state_name(s.state), since);
        if (s.remote) out += fmt::format(", to {}", *s.remote);
        if (!s.fd) out += fmt::format(", left by {}", world.process_name(s.process));
        out += ")";
    }
    if (!any) out += "nobody now";
    return out;
}

}  // namespace netsim::scenarios
