// `tools/dev bench` (kernel part): the cost of port-table operations as a host fills up.
// A client host holds N established connections to 64 listening ports of a server host (so the
// server has N accepted sockets on 64 ports, the client N sockets on shared ephemeral ports);
// then each operation is timed over many repetitions. Flat cost means the ops/s at 100,000
// sockets stay close to those at 1,000: the ratio column shows it.
#include "sim/kernel/kernel.h"
#include "tools/bench/wall_timer.h"

#include <fmt/core.h>

#include <functional>
#include <memory>
#include <vector>

using namespace netsim;
using namespace netsim::kernel;

namespace {

constexpr int listening_ports = 64;  // keeps the client far from exhausting 4-tuples
constexpr net::Port first_server_port = 8000;

struct Crowd {
    Simulation sim{SimulationOptions{}};
    net::Network network{sim};
    net::HostId server_host = network.add_host("server", {*net::IpAddress::parse("10.0.0.1")});
    net::HostId client_host = network.add_host("client", {*net::IpAddress::parse("10.0.0.2")});
    Kernel server{sim, network, server_host};
    Kernel client{sim, network, client_host};
    std::vector<Fd> listeners;
    std::vector<Fd> client_fds;
    net::IpAddress server_ip = *net::IpAddress::parse("10.0.0.1");

    explicit Crowd(int connections) {
        for (int p = 0; p < listening_ports; ++p) {
            Fd l = server.socket(net::IpFamily::v4).value();
            (void)server.setsockopt(l, SocketOption::reuseaddr, 1);
            (void)server.bind(l, {server_ip, static_cast<net::Port>(first_server_port + p)});
            (void)server.listen(l, 4096);
            listeners.push_back(l);
        }
        for (int i = 0; i < connections; ++i) {
            Fd c = client.socket(net::IpFamily::v4).value();
            (void)client.connect(c, {server_ip, static_cast<net::Port>(first_server_port + i % listening_ports)});
            client_fds.push_back(c);
            if (i % 512 == 511 || i + 1 == connections) {
                sim.run();
                for (Fd l : listeners)
                    while (server.accept(l).ok()) {
                    }
            }
        }
    }
};

double ops_per_second(int repetitions, const std::function<void(int)>& op) {
    bench::WallTimer timer;
    for (int i = 0; i < repetitions; ++i) op(i);
    return repetitions / timer.seconds();
}

struct Row {
    const char* name;
    std::vector<double> rates;
};

}  // namespace

int main() {
    const std::vector<int> sizes{1'000, 10'000, 100'000};
    std::vector<Row> rows{{"bind, conflicting, on a port with N/64 sockets", {}},
                          {"bind to a free port + close", {}},
                          {"bind(0) + close", {}},
                          {"connect (ephemeral port) + handshake + close", {}},
                          {"send one segment + demultiplex + recv", {}}};
    fmt::print("netsim kernel benchmark: port-table operations with N connections on the host\n\n");
    for (int n : sizes) {
        Crowd crowd(n);
        Kernel& srv = crowd.server;
        const std::size_t sockets = srv.socket_count() + crowd.client.socket_count();
        fmt::print("N = {:>7} connections ({} sockets in the world)\n", n, sockets);
        const int reps = 20'000;
        rows[0].rates.push_back(ops_per_second(reps, [&](int) {
            Fd s = srv.socket(net::IpFamily::v4).value();
            (void)srv.bind(s, {crowd.server_ip, first_server_port});
            (void)srv.close(s);
        }));
        rows[1].rates.push_back(ops_per_second(reps, [&](int i) {
            Fd s = srv.socket(net::IpFamily::v4).value();
            (void)srv.bind(s, {crowd.server_ip, static_cast<net::Port>(20000 + i % 1000)});
            (void)srv.close(s);
        }));
        rows[2].rates.push_back(ops_per_second(reps, [&](int) {
            Fd s = srv.socket(net::IpFamily::v4).value();
            (void)srv.bind(s, {crowd.server_ip, 0});
            (void)srv.close(s);
        }));
        rows[3].rates.push_back(ops_per_second(reps / 4, [&](int i) {
            Fd c = crowd.client.socket(net::IpFamily::v4).value();
            (void)crowd.client.connect(c, {crowd.server_ip, static_cast<net::Port>(first_server_port + i % listening_ports)});
            crowd.sim.run_until(crowd.sim.now());
            (void)crowd.client.setsockopt(c, SocketOption::linger, 0);
            (void)crowd.client.close(c);
            crowd.sim.run_until(crowd.sim.now());
        }));
        const Fd sender = crowd.client_fds[static_cast<std::size_t>(n / 2)];
        rows[4].rates.push_back(ops_per_second(reps, [&](int) {
            (void)crowd.client.send(sender, 100);
            crowd.sim.run_until(crowd.sim.now());
        }));
    }
    fmt::print("\n{:<48} {:>12} {:>12} {:>12} {:>14}\n", "operation (ops/s)", "N=1k", "N=10k", "N=100k",
               "100k/1k ratio");
    for (const Row& r : rows)
        fmt::print("{:<48} {:>12.0f} {:>12.0f} {:>12.0f} {:>14.2f}\n", r.name, r.rates[0], r.rates[1], r.rates[2],
                   r.rates[2] / r.rates[0]);
    return 0;
}
