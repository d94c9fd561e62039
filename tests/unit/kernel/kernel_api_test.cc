// The asynchronous C++ socket API that the layers above use (policies, server processes).
#include "sim/kernel/kernel.h"
#include "sim/kernel/script/model_runner.h"

#include "tests/support/catch.h"

#include <vector>

using namespace netsim;
using namespace netsim::kernel;
using namespace netsim::literals;

namespace {

struct World {
    Simulation sim{SimulationOptions{}};
    net::Network network{sim};
    net::HostId server_host = network.add_host("server", {*net::IpAddress::parse("10.0.0.1")});
    net::HostId client_host = network.add_host("client", {*net::IpAddress::parse("10.0.0.2")});
    Kernel server{sim, network, server_host};
    Kernel client{sim, network, client_host};
    net::SocketAddress server_addr{*net::IpAddress::parse("10.0.0.1"), 50051};

    World() { network.set_link(server_host, client_host, net::LinkConfig{1_ms}); }

    Fd listen_on_server(ProcessId process = {}) {
        Fd l = server.socket(net::IpFamily::v4, process).value();
        REQUIRE(server.bind(l, server_addr) == Errno::ok);
        REQUIRE(server.listen(l, 16) == Errno::ok);
        return l;
    }
};

}  // namespace

TEST_CASE("connect returns EINPROGRESS and the watcher hears `connected` one RTT later", "[kernel][api]") {
    World w;
    Fd l = w.listen_on_server();
    std::vector<std::pair<Instant, SocketEvent>> client_events, server_events;
    w.server.set_watcher(l, [&](Fd, SocketEvent e) { server_events.emplace_back(w.sim.now(), e); });
    Fd c = w.client.socket(net::IpFamily::v4).value();
    w.client.set_watcher(c, [&](Fd, SocketEvent e) { client_events.emplace_back(w.sim.now(), e); });
    REQUIRE(w.client.connect(c, w.server_addr) == Errno::einprogress);
    w.sim.run();
    REQUIRE(client_events == std::vector<std::pair<Instant, SocketEvent>>{{Instant::at(2_ms), SocketEvent::connected}});
    REQUIRE(server_events == std::vector<std::pair<Instant, SocketEvent>>{{Instant::at(3_ms), SocketEvent::acceptable}});
    REQUIRE(w.client.socket_error(c) == Errno::ok);
    Result<Fd> a = w.server.accept(l);
    REQUIRE(a.ok());
    REQUIRE(w.server.getpeername(a.value()).value().ip == *net::IpAddress::parse("10.0.0.2"));
}

TEST_CASE("a connect to a host without listener fails with ECONNREFUSED via SO_ERROR", "[kernel][api]") {
    World w;
    Fd c = w.client.socket(net::IpFamily::v4).value();
    std::vector<SocketEvent> events;
    w.client.set_watcher(c, [&](Fd, SocketEvent e) { events.push_back(e); });
    REQUIRE(w.client.connect(c, w.server_addr) == Errno::einprogress);
    w.sim.run();
    REQUIRE(events == std::vector<SocketEvent>{SocketEvent::connect_failed});
    REQUIRE(w.client.socket_error(c) == Errno::econnrefused);
    REQUIRE(w.client.socket_error(c) == Errno::ok);
}

TEST_CASE("a partitioned server makes connect time out after the SYN retries", "[kernel][api]") {
    World w;
    w.listen_on_server();
    w.network.partition(w.server_host, w.client_host);
    Fd c = w.client.socket(net::IpFamily::v4).value();
    REQUIRE(w.client.connect(c, w.server_addr) == Errno::einprogress);
    w.sim.run();
    REQUIRE(w.client.socket_error(c) == Errno::etimedout);
    REQUIRE(w.sim.now() == Instant::at(131_s));  // SYNs at 1, 2, 3, 4, 5, 7, 11, 19, 35, 67 s
}

TEST_CASE("a crashed server process resets its connections and frees its port", "[kernel][api]") {
    World w;
    const ProcessId server_process{7};
    Fd l = w.listen_on_server(server_process);
    Fd c = w.client.socket(net::IpFamily::v4).value();
    std::vector<SocketEvent> events;
    w.client.set_watcher(c, [&](Fd, SocketEvent e) { events.push_back(e); });
    (void)w.client.connect(c, w.server_addr);
    w.sim.run();
    Fd a = w.server.accept(l).value();
    REQUIRE(w.client.send(c, 100).ok());  // unread at the server when it dies
    w.sim.run();
    w.server.kill_process(server_process);
    w.sim.run();
    REQUIRE(events == std::vector<SocketEvent>{SocketEvent::connected, SocketEvent::reset});
    REQUIRE(w.client.recv(c, 10).error() == Errno::econnreset);
    REQUIRE(w.server.recv(a, 10).error() == Errno::ebadf);
    Fd again = w.server.socket(net::IpFamily::v4).value();
    REQUIRE(w.server.bind(again, w.server_addr) == Errno::ok);
}

TEST_CASE("the same script and seed give the same trace hash; seeds move ephemeral ports", "[kernel][determinism]") {
    auto parsed = parse_syscall_script(
        "socket s\nbind s 127.0.0.1 5000\nlisten s 5\nsocket c\nconnect c 127.0.0.1 5000\nport c\n"
        "accept s a\nsend c 10\nclose c\nrecv a 10\nclose a\nsleep 61s\n",
        "inline");
    const auto& script = std::get<SyscallScript>(parsed);
    std::set<std::string> ports;
    std::set<std::uint64_t> hashes;
    for (std::uint64_t seed = 0; seed < 100; ++seed) {
        ScriptRun a = run_script_on_model(script, seed);
        ScriptRun b = run_script_on_model(script, seed);
        REQUIRE(a.trace_hash == b.trace_hash);
        REQUIRE(a.lines == b.lines);
        ports.insert(a.lines[5]);
        hashes.insert(a.trace_hash);
    }
    REQUIRE(ports.size() > 90);
    REQUIRE(hashes.size() == ports.size());
}

TEST_CASE("a connect that takes over a TIME_WAIT 4-tuple frees the TIME_WAIT socket", "[kernel][api]") {
    World w;
    Fd l = w.listen_on_server();
    const net::SocketAddress client_addr{*net::IpAddress::parse("10.0.0.2"), 41000};
    auto connect_from_fixed_port = [&] {
        Fd c = w.client.socket(net::IpFamily::v4).value();
        REQUIRE(w.client.setsockopt(c, SocketOption::reuseaddr, 1) == Errno::ok);
        REQUIRE(w.client.bind(c, client_addr) == Errno::ok);
        REQUIRE(w.client.connect(c, w.server_addr) == Errno::einprogress);
        w.sim.run_until(w.sim.now() + 10_ms);
        REQUIRE(w.client.socket_error(c) == Errno::ok);
        return c;
    };
    Fd first = connect_from_fixed_port();
    Fd accepted = w.server.accept(l).value();
    REQUIRE(w.client.close(first) == Errno::ok);  // the client closes first: TIME_WAIT on its side
    w.sim.run_until(w.sim.now() + 10_ms);
    REQUIRE(w.server.close(accepted) == Errno::ok);
    w.sim.run_until(w.sim.now() + 10_ms);
    REQUIRE(w.client.socket_count() == 1);  // the TIME_WAIT socket
    Fd second = connect_from_fixed_port();
    REQUIRE(w.client.socket_count() == 1);  // the new connection only
    REQUIRE(w.client.getsockname(second).value().port == 41000);
}

TEST_CASE("sockets() shows every socket with its descriptor, state and addresses", "[kernel][api]") {
    World w;
    Fd l = w.listen_on_server();
    Fd c = w.client.socket(net::IpFamily::v4).value();
    (void)w.client.connect(c, w.server_addr);
    w.sim.run();
    const std::vector<SocketView> server = w.server.sockets();
    REQUIRE(server.size() == 2);  // the listener and the connection not yet accepted
    REQUIRE(server[0].fd == l);
    REQUIRE(server[0].state == TcpState::listen);
    REQUIRE(server[0].local == w.server_addr);
    REQUIRE_FALSE(server[1].fd.has_value());
    REQUIRE(server[1].state == TcpState::established);
    REQUIRE(server[1].remote->ip == *net::IpAddress::parse("10.0.0.2"));
    const std::vector<SocketView> client = w.client.sockets();
    REQUIRE(client.size() == 1);
    REQUIRE(client[0].fd == c);
    REQUIRE(client[0].remote == w.server_addr);
}
