// The world: ownership and destruction order, process identities, and the wire encoding.
#include "sim/app/process.h"
#include "sim/app/wire.h"
#include "sim/app/world.h"

#include "tests/support/catch.h"

using namespace netsim;
using namespace netsim::literals;

namespace {

// A process that keeps a connection attempt and a timer pending when the world is dropped.
class Dialer final : public app::Process {
public:
    Dialer(app::World& world, net::HostId host, std::string name) : Process(world, host, std::move(name)) {
        kernel::Fd fd = open_socket(net::IpFamily::v4).value();
        kernel().watch(fd, [this](const kernel::SocketNotice&) { ++events; });
        (void)kernel().connect(fd, net::SocketAddress{*net::IpAddress::parse("10.0.0.9"), 80});
    }
    int events = 0;
};

}  // namespace

TEST_CASE("a world dropped with connections and timers pending frees everything", "[app][world]") {
    for (std::uint64_t seed = 0; seed < 200; ++seed) {
        SimulationOptions options;
        options.seed = seed;
        app::World world(options);
        const net::HostId h = world.add_host("client", {*net::IpAddress::parse("10.0.0.1")});
        world.spawn<Dialer>(h, "dialer");
        world.sim().run_until(Instant::at(3_s));
        REQUIRE(world.sim().pending_events() > 0);  // the SYN retransmission timer is still armed
    }
}

TEST_CASE("processes get world-unique ids and their names", "[app][world]") {
    app::World world(SimulationOptions{});
    const net::HostId a = world.add_host("a");
    const net::HostId b = world.add_host("b");
    auto& first = world.spawn<Dialer>(a, "first");
    auto& second = world.spawn<Dialer>(b, "second");
    REQUIRE(first.id() != second.id());
    REQUIRE(world.process_name(first.id()) == "first");
    REQUIRE(world.process_name(second.id()) == "second");
    REQUIRE(world.process_name(kernel::ProcessId{999}) == "?");
    REQUIRE(world.find_host("b") == b);
    REQUIRE_FALSE(world.find_host("c").has_value());
}

TEST_CASE("wire messages round-trip through the kernel's message word", "[app][wire]") {
    const app::WireMessage m{app::WireKind::response, 77, kernel::ProcessId{12}};
    REQUIRE(app::WireMessage::decode(m.encode()) == m);
    REQUIRE_FALSE(app::WireMessage::decode(0).has_value());
    REQUIRE(app::WireMessage{app::WireKind::preface, 0, {}}.bytes() > 0);
}
