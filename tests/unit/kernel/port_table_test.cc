// The port table on its own: occupancy by binding class, release, and which ports connect() may
// pick (sim/kernel/port_table.h).
#include "sim/kernel/port_table.h"

#include "tests/support/catch.h"

using namespace netsim;
using namespace netsim::kernel;

namespace {

struct Table {
    Sysctls sysctls;
    PortTable ports{sysctls, Rng(1)};
    std::vector<std::unique_ptr<Socket>> sockets;

    Socket& bind(const char* address, net::Port port, bool by_user, bool reuseaddr = false) {
        auto s = std::make_unique<Socket>();
        s->id = SocketId{static_cast<std::uint32_t>(sockets.size())};
        s->bound = true;
        s->bound_by_user = by_user;
        s->local_ip = *net::IpAddress::parse(address);
        s->local_port = port;
        s->options.reuseaddr = reuseaddr;
        ports.occupy(*s);
        sockets.push_back(std::move(s));
        return *sockets.back();
    }
};

BindingClass candidate(const char* address, bool reuseaddr = false) {
    BindingClass c;
    c.address = *net::IpAddress::parse(address);
    c.reuseaddr = reuseaddr;
    return c;
}

}  // namespace

TEST_CASE("a port is in use while any socket occupies it, and free once all are released", "[port_table]") {
    Table t;
    Socket& a = t.bind("127.0.0.1", 5000, true);
    Socket& b = t.bind("127.0.0.2", 5000, true);
    REQUIRE(t.ports.port_in_use(5000));
    REQUIRE(t.ports.sockets_on_port(5000) == 2);
    t.ports.release(a);
    REQUIRE(t.ports.sockets_on_port(5000) == 1);
    t.ports.release(b);
    REQUIRE_FALSE(t.ports.port_in_use(5000));
    REQUIRE(a.reported_port == 5000);  // getsockname keeps reporting it
}

TEST_CASE("a thousand accepted-like sockets on one port are one class for conflict checks", "[port_table]") {
    Table t;
    for (int i = 0; i < 1000; ++i) t.bind("127.0.0.1", 5000, true, true);
    REQUIRE(t.ports.sockets_on_port(5000) == 1000);
    REQUIRE(t.ports.conflicts(candidate("127.0.0.1"), 5000, BindCheck::explicit_port));
    REQUIRE_FALSE(t.ports.conflicts(candidate("127.0.0.1", true), 5000, BindCheck::explicit_port));
    REQUIRE(t.ports.conflicts(candidate("127.0.0.1", true), 5000, BindCheck::automatic_port));
    REQUIRE_FALSE(t.ports.conflicts(candidate("127.0.0.2"), 5000, BindCheck::explicit_port));
}

TEST_CASE("connect may pick a port only while no bind() socket holds it", "[port_table]") {
    Table t;
    t.sysctls.ip_local_port_range_low = 40000;
    t.sysctls.ip_local_port_range_high = 40000;
    const net::IpAddress local = *net::IpAddress::parse("127.0.0.1");
    const net::SocketAddress remote{local, 5000};
    std::optional<SocketId> reuse;
    auto never = [](SocketId) { return false; };
    Socket& by_connect = t.bind("127.0.0.1", 40000, false);
    REQUIRE(t.ports.pick_port_for_connect(local, remote, never, reuse) == 40000);
    Socket& by_bind = t.bind("127.0.0.2", 40000, true);
    REQUIRE_FALSE(t.ports.pick_port_for_connect(local, remote, never, reuse).has_value());
    t.ports.release(by_bind);
    REQUIRE(t.ports.pick_port_for_connect(local, remote, never, reuse) == 40000);
    t.ports.add_connection(FourTuple{local, 40000, local, 5000}, by_connect.id);
    REQUIRE_FALSE(t.ports.pick_port_for_connect(local, remote, never, reuse).has_value());
    REQUIRE(t.ports.pick_port_for_connect(local, {local, 5001}, never, reuse) == 40000);
}
