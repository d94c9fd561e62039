// Noise processes: Poisson timing from their own streams, and ports taken only by the kernel
// model's rules (a freed listener port is taken by another test's bind(0), not by a script).
#include "sim/app/noise.h"
#include "sim/app/server.h"

#include "tests/support/catch.h"
#include "tests/support/probe_client.h"

using namespace netsim;
using namespace netsim::literals;
using kernel::Errno;

namespace {

kernel::Sysctls narrow_range(net::Port low, net::Port high) {
    kernel::Sysctls s;
    s.ip_local_port_range_low = low;
    s.ip_local_port_range_high = high;
    return s;
}

app::NoiseTiming every(Duration mean_gap, Duration hold) {
    app::NoiseTiming t;
    t.mean_gap = mean_gap;
    t.hold_low = t.hold_high = hold;
    return t;
}

}  // namespace

TEST_CASE("noise listeners open servers at the configured rate and close them after the hold", "[app][noise]") {
    app::World world(SimulationOptions{});
    const net::HostId host = world.add_host("machine");
    app::NoiseListenerOptions options;
    options.reuseaddr = true;
    auto& tests = world.spawn<app::NoiseListeners>(host, "tests#1", every(10_ms, 50_ms), options);
    tests.begin();
    world.sim().run_until(Instant::at(10_s));
    // About 5 listeners alive at any time (Little's law: 100/s for 50 ms).
    std::size_t listening = 0;
    for (const auto& s : world.kernel(host).sockets()) listening += s.state == kernel::TcpState::listen;
    REQUIRE(listening == tests.live_count());
    REQUIRE(listening <= 20);
    std::uint64_t binds = 0;
    world.sim().trace().retain_records(true);
    world.sim().run_until(Instant::at(20_s));
    for (const auto& r : world.sim().trace().records()) binds += r.kind == "sys.listen";
    REQUIRE(binds > 800);   // 1,000 expected in 10 s
    REQUIRE(binds < 1200);
}

TEST_CASE("a noise listener answers RPCs under its own name", "[app][noise]") {
    app::World world(SimulationOptions{});
    const net::HostId host = world.add_host("machine");
    auto& tests = world.spawn<app::NoiseListeners>(host, "tests#1", every(1_ms, 10_s), app::NoiseListenerOptions{});
    auto& probe = world.spawn<testing::ProbeClient>(host, "probe");
    tests.begin();
    world.sim().run_until(Instant::at(100_ms));
    probe.connect(tests.live_address(0));
    world.sim().run_until(Instant::at(110_ms));
    probe.request(5);
    world.sim().run_until(Instant::at(120_ms));
    REQUIRE(probe.heard == std::vector<std::string>{"preface from tests#1", "response 5 from tests#1"});
}

TEST_CASE("another test's bind(0) takes a stopped server's port and the restart fails", "[app][noise]") {
    // A 16-port range: bind(0) of the noise listeners soon lands on the freed port. The error
    // comes from the port table, not from any script.
    int failures = 0;
    for (std::uint64_t seed = 0; seed < 50; ++seed) {
        SimulationOptions options;
        options.seed = seed;
        app::World world(options);
        const net::HostId host = world.add_host("machine", {}, narrow_range(40000, 40015));
        app::ServerConfig config;
        config.address = net::SocketAddress{net::IpAddress::loopback(net::IpFamily::v4), 0};
        auto& a = world.spawn<app::Server>(host, "a", config);
        app::NoiseListenerOptions noise_options;
        noise_options.reuseaddr = true;
        world.spawn<app::NoiseListeners>(host, "tests#1", every(2_ms, 20_ms), noise_options).begin();
        a.start();
        world.sim().run_until(Instant::at(5_ms));
        a.stop();
        world.sim().run_until(Instant::at(50_ms));
        Errno got = Errno::einval;
        a.start([&](Errno e) { got = e; });
        REQUIRE((got == Errno::ok || got == Errno::eaddrinuse));
        failures += got == Errno::eaddrinuse;
        if (got == Errno::eaddrinuse) {
            bool noise_holds_it = false;
            for (const auto& s : world.kernel(host).sockets())
                noise_holds_it |= s.local && s.local->port == a.address()->port &&
                                  world.process_name(s.process) == "tests#1";
            REQUIRE(noise_holds_it);
        }
    }
    REQUIRE(failures > 0);
    REQUIRE(failures < 50);
}

TEST_CASE("connect noise holds outbound connections and closes them", "[app][noise]") {
    app::World world(SimulationOptions{});
    const net::HostId host = world.add_host("machine");
    app::ServerConfig config;
    config.address = net::SocketAddress{net::IpAddress::loopback(net::IpFamily::v4), 0};
    auto& b = world.spawn<app::Server>(host, "b", config);
    b.start();
    auto& clients = world.spawn<app::NoiseConnects>(
        host, "clients", every(10_ms, 100_ms),
        [&b](Rng&) -> std::optional<net::SocketAddress> { return b.address(); });
    clients.begin();
    world.sim().run_until(Instant::at(5_s));
    std::size_t established = 0;
    for (const auto& s : world.kernel(host).sockets())
        established += s.state == kernel::TcpState::established && world.process_name(s.process) == "clients";
    REQUIRE(established > 0);
    REQUIRE(established < 40);  // about 10 held at a time
}

TEST_CASE("a holder keeps a fixed port bound for its hold time", "[app][noise]") {
    app::World world(SimulationOptions{});
    const net::HostId host = world.add_host("machine");
    app::NoiseTiming timing = every(100_ms, 2_s);
    timing.until = Instant::at(1_s);
    auto& squatter = world.spawn<app::NoiseHolders>(
        host, "squatter", timing, net::SocketAddress{net::IpAddress::loopback(net::IpFamily::v4), 5000});
    squatter.begin();
    auto holds_5000 = [&] {
        for (const auto& s : world.kernel(host).sockets())
            if (s.local && s.local->port == 5000 && s.process == squatter.id()) return true;
        return false;
    };
    while (!holds_5000()) world.sim().run_events(1);
    const Instant taken = world.sim().now();
    app::ServerConfig config;
    config.address = net::SocketAddress{net::IpAddress::loopback(net::IpFamily::v4), 5000};
    config.listener = app::ListenerStrategy::plain;
    auto& a = world.spawn<app::Server>(host, "a", config);
    Errno got = Errno::ok;
    a.start([&](Errno e) { got = e; });
    REQUIRE(got == Errno::eaddrinuse);
    world.sim().run_until(taken + 1900_ms);
    REQUIRE(holds_5000());  // still within the 2 s hold
    world.sim().run_until(Instant::at(4_s));  // every hold (the last began before 1 s) is over
    REQUIRE_FALSE(holds_5000());
    a.start([&](Errno e) { got = e; });
    REQUIRE(got == Errno::ok);
}
