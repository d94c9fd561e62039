#include "tests/determinism/kernel_workload.h"

#include "sim/kernel/kernel.h"

#include <memory>
#include <string>
#include <vector>

namespace netsim::testing {

namespace {

using kernel::Errno;
using kernel::Fd;
using kernel::SocketEvent;

const net::SocketAddress server_address{*net::IpAddress::parse("10.0.0.1"), 50051};

struct Server {
    Simulation* sim;
    kernel::Kernel* k;
    Rng rng;
    KernelWorkloadResult* result;
    std::uint32_t generation = 0;
    Fd listener;

    kernel::ProcessId process() const { return kernel::ProcessId{generation}; }

    void start() {
        ++generation;
        listener = k->socket(net::IpFamily::v4, process()).value();
        // Most generations set SO_REUSEADDR; one that does not leaves TIME_WAITs that block the next.
        (void)k->setsockopt(listener, kernel::SocketOption::reuseaddr, rng.chance(3, 4) ? 1 : 0);
        if (k->bind(listener, server_address) != Errno::ok || k->listen(listener, 8) != Errno::ok) {
            ++result->failed_binds;
            (void)k->close(listener);
            sim->schedule_after(Duration::milliseconds(rng.between(10, 200)), [this] { start(); });
            return;
        }
        k->watch(listener, [this](const kernel::SocketNotice&) { accept_all(); });
        sim->schedule_after(Duration::milliseconds(rng.between(500, 3000)), [this, g = generation] {
            if (g == generation) crash();
        });
    }

    void accept_all() {
        for (;;) {
            auto a = k->accept(listener);
            if (!a) return;
            k->watch(a.value(), [this](const kernel::SocketNotice& n) { on_connection_event(n.fd, n.event); });
        }
    }

    void on_connection_event(Fd fd, SocketEvent e) {
        if (e == SocketEvent::readable) (void)k->recv(fd, 1 << 20);
        if (e == SocketEvent::peer_closed || e == SocketEvent::reset) (void)k->close(fd);
    }

    void crash() {
        k->kill_process(process());
        sim->schedule_after(Duration::milliseconds(rng.between(0, 50)), [this] { start(); });
    }
};

struct Client {
    Simulation* sim;
    kernel::Kernel* k;
    Rng rng;
    KernelWorkloadResult* result;
    Fd fd;

    void connect() {
        fd = k->socket(net::IpFamily::v4).value();
        k->watch(fd, [this](const kernel::SocketNotice& n) { on_event(n.event); });
        if (k->connect(fd, server_address) != Errno::einprogress) retry_later();
    }

    void on_event(SocketEvent e) {
        switch (e) {
            case SocketEvent::connected:
                ++result->connections;
                (void)k->send(fd, static_cast<std::size_t>(rng.between(1, 4096)));
                sim->schedule_after(Duration::milliseconds(rng.between(1, 400)), [this, f = fd] {
                    if (f == fd) hang_up();
                });
                break;
            case SocketEvent::connect_failed:
                ++result->failed_connects;
                retry_later();
                break;
            case SocketEvent::peer_closed:
            case SocketEvent::reset:
                hang_up();
                break;
            default:
                break;
        }
    }

    void hang_up() {
        (void)k->close(fd);
        fd = Fd{};
        retry_later();
    }

    void retry_later() {
        if (fd.value >= 0) (void)k->close(fd);
        fd = Fd{};
        sim->schedule_after(Duration::milliseconds(rng.between(0, 300)), [this] { connect(); });
    }
};

}  // namespace

KernelWorkloadResult run_kernel_workload(std::uint64_t seed) {
    SimulationOptions options;
    options.seed = seed;
    options.limits.max_time = Instant::at(Duration::seconds(20));
    Simulation sim(options);
    net::Network network(sim);
    const net::HostId server_host = network.add_host("server", {server_address.ip});
    kernel::Kernel server_kernel(sim, network, server_host);
    KernelWorkloadResult result;
    std::vector<std::unique_ptr<kernel::Kernel>> client_kernels;
    std::vector<std::unique_ptr<Client>> clients;
    for (std::uint8_t i = 0; i < 3; ++i) {
        const net::HostId h = network.add_host("client-" + std::to_string(i), {net::IpAddress::v4(10, 0, 1, i)});
        network.set_link(server_host, h, net::LinkConfig{Duration::milliseconds(1), Duration::milliseconds(2), 1, 50});
        client_kernels.push_back(std::make_unique<kernel::Kernel>(sim, network, h));
        for (int c = 0; c < 4; ++c) {
            const std::string name = fmt::format("client-{}-{}", i, c);
            clients.push_back(std::make_unique<Client>(Client{&sim, client_kernels.back().get(), sim.rng_stream(name), &result, {}}));
            sim.schedule_after(Duration::zero(), [cl = clients.back().get()] { cl->connect(); });
        }
    }
    Server server{&sim, &server_kernel, sim.rng_stream("server"), &result, 0, {}};
    server.start();
    sim.run();
    result.trace_hash = sim.trace().hash();
    return result;
}

}  // namespace netsim::testing
