// The asynchronous C++ socket API that the layers above use (policies, server processes).
#include "sim/kernel/kernel.h"
#include "sim/kernel/script/model_runner.h"

#include "tests/support/catch.h"

#include <fmt/format.h>

#include <string>
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
    w.server.watch(l, [&](const SocketNotice& n) { server_events.emplace_back(w.sim.now(), n.event); });
    Fd c = w.client.socket(net::IpFamily::v4).value();
    w.client.watch(c, [&](const SocketNotice& n) { client_events.emplace_back(w.sim.now(), n.event); });
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
    w.client.watch(c, [&](const SocketNotice& n) { events.push_back(n.event); });
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
    w.client.watch(c, [&](const SocketNotice& n) { events.push_back(n.event); });
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

TEST_CASE("a watch added after data and a FIN arrived before accept hears both at once", "[kernel][api][watch]") {
    World w;
    Fd l = w.listen_on_server();
    Fd c = w.client.socket(net::IpFamily::v4).value();
    (void)w.client.connect(c, w.server_addr);
    w.sim.run();
    REQUIRE(w.client.send(c, 10, 42).ok());
    REQUIRE(w.client.close(c) == Errno::ok);
    w.sim.run();
    Fd a = w.server.accept(l).value();
    std::vector<SocketEvent> events;
    w.server.watch(a, [&](const SocketNotice& n) { events.push_back(n.event); });
    w.sim.run();
    REQUIRE(events == std::vector<SocketEvent>{SocketEvent::readable, SocketEvent::peer_closed});
    ReceivedMessage m = w.server.recv_message(a).value();
    REQUIRE(m.bytes == 10);
    REQUIRE(m.message == 42);
    REQUIRE(w.server.recv_message(a).value().bytes == 0);  // end of stream
}

TEST_CASE("two watchers of one descriptor both hear an event, with the error in the notice", "[kernel][api][watch]") {
    World w;
    Fd c = w.client.socket(net::IpFamily::v4).value();
    std::vector<std::pair<int, Errno>> heard;
    w.client.watch(c, [&](const SocketNotice& n) { heard.emplace_back(1, n.error); });
    const WatchId second = w.client.watch(c, [&](const SocketNotice& n) { heard.emplace_back(2, n.error); });
    REQUIRE(w.client.connect(c, w.server_addr) == Errno::einprogress);
    w.sim.run();
    REQUIRE(heard == std::vector<std::pair<int, Errno>>{{1, Errno::econnrefused}, {2, Errno::econnrefused}});
    w.client.unwatch(c, second);
    // The next connect() reports the failure (SO_ERROR was not read) and disconnects the socket.
    REQUIRE(w.client.connect(c, w.server_addr) == Errno::econnrefused);
    REQUIRE(w.client.connect(c, w.server_addr) == Errno::einprogress);
    w.sim.run();
    REQUIRE(heard.size() == 3);
    REQUIRE(heard.back().first == 1);
}

TEST_CASE("a watcher that closes its descriptor from inside its call stops the delivery", "[kernel][api][watch]") {
    World w;
    Fd c = w.client.socket(net::IpFamily::v4).value();
    int calls = 0;
    w.client.watch(c, [&](const SocketNotice& n) { ++calls; (void)w.client.close(n.fd); });
    w.client.watch(c, [&](const SocketNotice&) { ++calls; });
    (void)w.client.connect(c, w.server_addr);
    w.sim.run();
    REQUIRE(calls == 1);
}

TEST_CASE("messages keep their words across partial reads", "[kernel][api]") {
    World w;
    Fd l = w.listen_on_server();
    Fd c = w.client.socket(net::IpFamily::v4).value();
    (void)w.client.connect(c, w.server_addr);
    w.sim.run();
    Fd a = w.server.accept(l).value();
    REQUIRE(w.client.send(c, 10, 1).ok());
    REQUIRE(w.client.send(c, 20, 2).ok());
    w.sim.run();
    REQUIRE(w.server.recv(a, 4).value() == 4);
    ReceivedMessage first = w.server.recv_message(a).value();
    REQUIRE((first.bytes == 6 && first.message == 1));
    ReceivedMessage second = w.server.recv_message(a).value();
    REQUIRE((second.bytes == 20 && second.message == 2));
    REQUIRE(w.server.recv_message(a).error() == Errno::eagain);
}

TEST_CASE("the socket.event record is written when the event is delivered", "[kernel][api][watch]") {
    World w;
    w.sim.trace().retain_records(true);
    Fd c = w.client.socket(net::IpFamily::v4).value();
    Instant heard_at;
    w.client.watch(c, [&](const SocketNotice&) { heard_at = w.sim.now(); });
    (void)w.client.connect(c, w.server_addr);
    w.sim.run();
    std::size_t events = 0;
    for (const TraceRecord& r : w.sim.trace().records()) {
        if (r.kind != "socket.event") continue;
        ++events;
        REQUIRE(r.at == heard_at);
        REQUIRE(format_trace_record(r).find("error=ECONNREFUSED") != std::string::npos);
    }
    REQUIRE(events == 1);
}

TEST_CASE("a segment whose receiver hint names another socket still reaches the one its 4-tuple names", "[kernel][api]") {
    // Segment::receiver_hint is a shortcut past the connection table: the kernel takes it only
    // when the named socket holds exactly the segment's 4-tuple.
    World w;
    Fd l = w.listen_on_server();
    Fd c1 = w.client.socket(net::IpFamily::v4).value();
    Fd c2 = w.client.socket(net::IpFamily::v4).value();
    (void)w.client.connect(c1, w.server_addr);
    (void)w.client.connect(c2, w.server_addr);
    w.sim.run();
    const Fd a1 = w.server.accept(l).value();
    const Fd a2 = w.server.accept(l).value();
    // Learn the hints both ways, as real traffic does.
    REQUIRE(w.client.send(c1, 1, 11).ok());
    REQUIRE(w.client.send(c2, 1, 22).ok());
    w.sim.run();
    REQUIRE(w.server.recv_message(a1).value().message == 11);
    REQUIRE(w.server.recv_message(a2).value().message == 22);
    const auto view = [&](Kernel& k, Fd fd) {
        for (const SocketView& v : k.sockets())
            if (v.fd == fd) return v;
        FAIL("no socket for the descriptor");
        return SocketView{};
    };
    // A segment of c1's connection that names a2 as its receiver: it must land on a1.
    const SocketView from = view(w.client, c1);
    net::Segment seg{*from.local, *from.remote, net::flag_ack, 1, 33};
    seg.receiver_hint = view(w.server, a2).id.value + 1;
    w.server.receive_segment(seg);
    REQUIRE(w.server.recv_message(a1).value().message == 33);
    REQUIRE(w.server.recv_message(a2).error() == Errno::eagain);
    // A hint naming no socket at all is ignored the same way.
    seg.message = 44;
    seg.receiver_hint = 100000;
    w.server.receive_segment(seg);
    REQUIRE(w.server.recv_message(a1).value().message == 44);
}

TEST_CASE("a bind to port 0 records the port the kernel chose; an explicit or failed bind does not add one",
          "[kernel][api]") {
    World w;
    w.sim.trace().retain_records(true);
    Fd any_port = w.server.socket(net::IpFamily::v4).value();
    REQUIRE(w.server.bind(any_port, net::SocketAddress{*net::IpAddress::parse("10.0.0.1"), 0}) == Errno::ok);
    const net::Port chosen = w.server.getsockname(any_port).value().port;
    Fd explicit_port = w.server.socket(net::IpFamily::v4).value();
    REQUIRE(w.server.bind(explicit_port, w.server_addr) == Errno::ok);
    Fd taken = w.server.socket(net::IpFamily::v4).value();
    REQUIRE(w.server.bind(taken, w.server_addr) == Errno::eaddrinuse);
    std::vector<std::string> binds;
    for (const TraceRecord& r : w.sim.trace().records())
        if (r.kind == "sys.bind") binds.push_back(format_trace_record(r));
    REQUIRE(binds.size() == 3);
    REQUIRE(binds[0].ends_with(fmt::format("addr=10.0.0.1:0 port={}", chosen)));
    REQUIRE(binds[1].ends_with("result=ok addr=10.0.0.1:50051"));
    REQUIRE(binds[2].ends_with("result=EADDRINUSE addr=10.0.0.1:50051"));
}
