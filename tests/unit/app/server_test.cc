// Server processes: each lifecycle operation and each listener strategy, seen through sockets
// by a probe client, with the port outcomes decided by the kernel model alone.
#include "sim/app/server.h"

#include "tests/support/catch.h"
#include "tests/support/probe_client.h"

using namespace netsim;
using namespace netsim::literals;
using app::ListenerStrategy;
using kernel::Errno;

namespace {

struct Bench {
    app::World world{SimulationOptions{}};
    net::HostId host = world.add_host("machine");
    testing::ProbeClient& client = world.spawn<testing::ProbeClient>(host, "client");

    app::Server& server(std::string name, ListenerStrategy strategy, net::Port port = 0) {
        app::ServerConfig config;
        config.address = net::SocketAddress{net::IpAddress::loopback(net::IpFamily::v4), port};
        config.listener = strategy;
        config.retry = 1_s;
        config.timeout = 5_s;
        return world.spawn<app::Server>(host, std::move(name), config);
    }
    Errno start(app::Server& s) {
        Errno got = Errno::einval;
        s.start([&](Errno e) { got = e; });
        settle();
        return got;
    }
    Errno restart(app::Server& s) {
        Errno got = Errno::einval;
        s.restart([&](Errno e) { got = e; });
        settle();
        return got;
    }
    void settle() { world.sim().run_until(world.sim().now() + 10_ms); }
    // Connect, exchange one RPC, and leave the connection open.
    void rpc_over_new_connection(app::Server& s, std::uint32_t rpc) {
        client.connect(*s.address());
        settle();
        client.request(rpc);
        settle();
    }
};

}  // namespace

TEST_CASE("a started server sends its preface and answers RPCs naming itself", "[app][server]") {
    Bench b;
    app::Server& a = b.server("a", ListenerStrategy::reuseaddr);
    REQUIRE(b.start(a) == Errno::ok);
    b.rpc_over_new_connection(a, 7);
    REQUIRE(b.client.heard == std::vector<std::string>{"preface from a", "response 7 from a"});
    REQUIRE(a.rpcs_answered() == 1);
}

TEST_CASE("a server with a load report sends it after each response, and a new one once it changes (ORCA per-call "
          "reports, gRFC A51, for weighted_round_robin)",
          "[app][server]") {
    Bench b;
    app::Server& a = b.server("a", ListenerStrategy::reuseaddr);
    a.set_load_report(app::LoadReport{100, 250, 3});
    REQUIRE(b.start(a) == Errno::ok);
    b.rpc_over_new_connection(a, 1);
    a.set_load_report(app::LoadReport{40, 900, 0});
    b.client.request(2);
    b.settle();
    a.set_load_report(std::nullopt);
    b.client.request(3);
    b.settle();
    REQUIRE(b.client.heard == std::vector<std::string>{"preface from a", "response 1 from a",
                                                       "load qps=100 utilization=250 eps=3", "response 2 from a",
                                                       "load qps=40 utilization=900 eps=0", "response 3 from a"});
}

TEST_CASE("plain: a restart after stop with a connection fails on the server's own TIME_WAIT", "[app][server]") {
    Bench b;
    app::Server& a = b.server("a", ListenerStrategy::plain);
    REQUIRE(b.start(a) == Errno::ok);
    b.rpc_over_new_connection(a, 1);
    REQUIRE(b.restart(a) == Errno::eaddrinuse);  // the server closed first: TIME_WAIT on its port
    REQUIRE(a.phase() == app::ServerPhase::down);
}

TEST_CASE("reuseaddr: the same restart succeeds", "[app][server]") {
    Bench b;
    app::Server& a = b.server("a", ListenerStrategy::reuseaddr);
    REQUIRE(b.start(a) == Errno::ok);
    const net::Port port = a.address()->port;
    b.rpc_over_new_connection(a, 1);
    REQUIRE(b.restart(a) == Errno::ok);
    REQUIRE(a.address()->port == port);
}

TEST_CASE("restartable: while stopped, connections are accepted and closed before the preface", "[app][server]") {
    Bench b;
    app::Server& a = b.server("a", ListenerStrategy::restartable);
    REQUIRE(b.start(a) == Errno::ok);
    a.stop();
    b.client.connect(*a.address());
    b.settle();
    REQUIRE(b.client.heard == std::vector<std::string>{"eof"});
    REQUIRE(a.phase() == app::ServerPhase::stopped_holding_port);
    REQUIRE(b.start(a) == Errno::ok);
    b.rpc_over_new_connection(a, 2);
    REQUIRE(b.client.heard == std::vector<std::string>{"eof", "preface from a", "response 2 from a"});
}

TEST_CASE("restartable: the port stays held by the listener, so a plain server cannot take it", "[app][server]") {
    Bench b;
    app::Server& a = b.server("a", ListenerStrategy::restartable);
    REQUIRE(b.start(a) == Errno::ok);
    a.stop();
    app::Server& thief = b.server("thief", ListenerStrategy::reuseaddr, a.address()->port);
    REQUIRE(b.start(thief) == Errno::eaddrinuse);
}

TEST_CASE("wait_release: retries bind until TIME_WAIT ends, or gives up at its timeout", "[app][server]") {
    Bench b;
    app::ServerConfig config;
    config.address = net::SocketAddress{net::IpAddress::loopback(net::IpFamily::v4), 0};
    config.listener = ListenerStrategy::wait_release;
    config.retry = 1_s;
    config.timeout = 90_s;
    app::Server& patient = b.world.spawn<app::Server>(b.host, "patient", config);
    REQUIRE(b.start(patient) == Errno::ok);
    b.rpc_over_new_connection(patient, 1);
    Errno got = Errno::einval;
    const Instant restarted_at = b.world.sim().now();
    Instant done_at;
    patient.restart([&](Errno e) { got = e; done_at = b.world.sim().now(); });
    b.world.sim().run_until(restarted_at + 100_s);
    REQUIRE(got == Errno::ok);
    REQUIRE(done_at - restarted_at >= 60_s);  // TIME_WAIT is 60 s
    REQUIRE(done_at - restarted_at <= 62_s);

    app::Server& hasty = b.server("hasty", ListenerStrategy::wait_release);  // timeout 5 s
    REQUIRE(b.start(hasty) == Errno::ok);
    b.rpc_over_new_connection(hasty, 1);
    got = Errno::einval;
    hasty.restart([&](Errno e) { got = e; });
    b.world.sim().run_until(b.world.sim().now() + 10_s);
    REQUIRE(got == Errno::eaddrinuse);
}

TEST_CASE("random_port: a restart takes a new port and tells its observers", "[app][server]") {
    Bench b;
    app::Server& a = b.server("a", ListenerStrategy::random_port);
    std::vector<net::Port> published;
    a.on_address_change([&](const net::SocketAddress& address) { published.push_back(address.port); });
    REQUIRE(b.start(a) == Errno::ok);
    b.rpc_over_new_connection(a, 1);
    REQUIRE(b.restart(a) == Errno::ok);
    REQUIRE(published.size() == 2);
    REQUIRE(published[0] != published[1]);
}

TEST_CASE("reuseport: a restart succeeds beside another SO_REUSEPORT listener, and they share clients", "[app][server]") {
    Bench b;
    app::Server& a = b.server("a", ListenerStrategy::reuseport);
    REQUIRE(b.start(a) == Errno::ok);
    const net::Port port = a.address()->port;
    a.stop();
    app::Server& other = b.server("other", ListenerStrategy::reuseport, port);
    REQUIRE(b.start(other) == Errno::ok);
    REQUIRE(b.start(a) == Errno::ok);
    std::set<std::string> served_by;
    for (std::uint32_t rpc = 0; rpc < 40; ++rpc) {
        b.client.heard.clear();
        b.rpc_over_new_connection(a, rpc);
        REQUIRE(b.client.heard.size() == 2);
        served_by.insert(b.client.heard[1].substr(b.client.heard[1].rfind(' ') + 1));
    }
    REQUIRE(served_by == std::set<std::string>{"a", "other"});
}

TEST_CASE("graceful_stop answers the RPC in flight, sends GOAWAY, then lets the connection go", "[app][server]") {
    std::set<std::string> ends;
    for (std::uint64_t seed = 0; seed < 12; ++seed) {
        SimulationOptions options;
        options.seed = seed;
        app::World world(options);
        const net::HostId host = world.add_host("machine");
        auto& client = world.spawn<testing::ProbeClient>(host, "client");
        app::ServerConfig config;
        config.address = net::SocketAddress{net::IpAddress::loopback(net::IpFamily::v4), 0};
        config.service_low = config.service_high = 5_ms;
        auto& a = world.spawn<app::Server>(host, "a", config);
        a.start();
        world.sim().run_until(Instant::at(1_ms));
        client.connect(*a.address());
        world.sim().run_until(Instant::at(2_ms));
        client.request(9);
        world.sim().run_until(Instant::at(3_ms));
        a.graceful_stop();
        world.sim().run_until(Instant::at(20_ms));
        client.close();  // a gRPC client closes a drained connection
        world.sim().run_until(Instant::at(1_s));
        REQUIRE(client.heard.size() >= 3);
        REQUIRE(client.heard[0] == "preface from a");
        REQUIRE(client.heard[1] == "goaway");
        REQUIRE(client.heard[2] == "response 9 from a");  // the RPC in flight is answered
        ends.insert(client.heard.size() == 3 ? "client closed first" : client.heard[3]);
        REQUIRE(world.kernel(host).socket_count() <= 2);  // at most a TIME_WAIT and the client's socket
    }
    // The seed decides how the connection ends (stream graceful/a): every way occurs.
    REQUIRE(ends == std::set<std::string>{"client closed first", "eof", "reset ECONNRESET"});
}

TEST_CASE("pause stops accepting: the backlog fills and SYNs are dropped until resume", "[app][server]") {
    Bench b;
    app::ServerConfig config;
    config.address = net::SocketAddress{net::IpAddress::loopback(net::IpFamily::v4), 0};
    config.backlog = 1;
    app::Server& a = b.world.spawn<app::Server>(b.host, "a", config);
    REQUIRE(b.start(a) == Errno::ok);
    a.pause();
    std::vector<testing::ProbeClient*> clients;
    for (int i = 0; i < 4; ++i) {
        clients.push_back(&b.world.spawn<testing::ProbeClient>(b.host, fmt::format("c{}", i)));
        clients.back()->connect(*a.address());
    }
    b.settle();
    for (auto* c : clients) REQUIRE(c->heard.empty());  // nobody got a preface
    a.resume();
    b.world.sim().run_until(b.world.sim().now() + 3_s);  // dropped SYNs are retransmitted at 1 s
    for (auto* c : clients) REQUIRE(c->heard == std::vector<std::string>{"preface from a"});
}

TEST_CASE("crash closes every descriptor: clients see a reset or EOF and the port is free", "[app][server]") {
    Bench b;
    app::Server& a = b.server("a", ListenerStrategy::plain);
    REQUIRE(b.start(a) == Errno::ok);
    b.rpc_over_new_connection(a, 1);
    a.crash();
    b.settle();
    REQUIRE(b.client.heard.back() == "eof");
    REQUIRE(a.phase() == app::ServerPhase::down);
}
