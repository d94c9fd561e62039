// The client transport over the kernel API: READY only on the server's preface (gRPC's HTTP/2
// transport waits for SETTINGS), failed attempts (refused, accepted-then-closed, timed out),
// requests and responses, GOAWAY draining, and one report of a lost connection.
#include "policies/client_transport.h"

#include "tests/unit/policies/policy_world.h"

#include <set>

using namespace netsim;
using namespace netsim::literals;
using policies::ClientTransport;
using policies::TransportClosed;
using testing::addr;

namespace {

// A process owning one transport and writing down what it hears.
struct Owner final : app::Process, policies::TransportObserver {
    std::vector<std::string> heard;
    std::vector<Instant> at;
    std::optional<TransportClosed> closed;
    int closes = 0;
    std::unique_ptr<ClientTransport> transport;

    Owner(app::World& w, net::HostId h, std::string name) : Process(w, h, std::move(name)) {}

    void open(net::SocketAddress to, Duration timeout = 20_s) {
        transport = std::make_unique<ClientTransport>(*this, *this, to, "client/transport");
        transport->connect(sim().now() + timeout);
    }
    void note(std::string what) {
        heard.push_back(std::move(what));
        at.push_back(sim().now());
    }
    void on_transport_ready(ClientTransport&) override { note("ready"); }
    void on_transport_goaway(ClientTransport&) override { note("goaway"); }
    void on_transport_refused(ClientTransport&, std::span<const std::uint32_t> rpcs) override {
        note(fmt::format("refused {}", rpcs.size()));
    }
    void on_transport_load_report(ClientTransport&, const app::LoadReport& r) override {
        note(fmt::format("load {} {} {}", r.qps, r.utilization_permille, r.eps));
    }
    void on_transport_response(ClientTransport&, std::uint32_t rpc, kernel::ProcessId server) override {
        note(fmt::format("response {} from {}", rpc, world().process_name(server)));
    }
    void on_transport_closed(ClientTransport&, const TransportClosed& c) override {
        ++closes;
        closed = c;
        note(fmt::format("closed {} {}", c.why, kernel::errno_name(c.error)));
    }
};

struct Fixture : testing::PolicyWorld {
    using PolicyWorld::PolicyWorld;
    net::HostId backend = host("backend", {"10.0.0.2"});
    Owner& owner = world.spawn<Owner>(client_host, "client");
};

}  // namespace

TEST_CASE("the transport is READY when the server's preface arrives, not when TCP connects", "[policies][transport]") {
    Fixture f;
    f.server(f.backend, "server", addr("10.0.0.2"));
    f.owner.open(addr("10.0.0.2"));
    f.run_until(100_ms);
    REQUIRE(f.owner.heard == std::vector<std::string>{"ready"});
    // SYN-ACK back at 2 ms makes TCP connected; the server accepts when the ACK lands (3 ms) and
    // its preface arrives at 4 ms.
    const auto events = f.records("socket.event");
    REQUIRE(events.front()->at == Instant::at(2_ms));
    REQUIRE(testing::PolicyWorld::field(*events.front(), "event") == "connected");
    REQUIRE(f.owner.at == std::vector<Instant>{Instant::at(4_ms)});
    REQUIRE(f.owner.transport->is_ready());
}

TEST_CASE("a connection the server accepts and closes at once is a failed attempt (grpc-go restartable listener)",
          "[policies][transport]") {
    Fixture f;
    app::Server& s = f.server(f.backend, "server", addr("10.0.0.2"), app::ListenerStrategy::restartable);
    s.stop();  // stopped, still holding its port: accept and close
    f.owner.open(addr("10.0.0.2"));
    f.run_until(100_ms);
    REQUIRE(f.owner.heard == std::vector<std::string>{"closed eof ok"});
    REQUIRE_FALSE(f.owner.closed->was_ready);
}

TEST_CASE("a refused connect is a failed attempt with ECONNREFUSED", "[policies][transport]") {
    Fixture f;
    f.owner.open(addr("10.0.0.2"));
    f.run_until(100_ms);
    REQUIRE(f.owner.heard == std::vector<std::string>{"closed connect_failed ECONNREFUSED"});
    REQUIRE(f.owner.at == std::vector<Instant>{Instant::at(2_ms)});
}

TEST_CASE("an attempt without preface by its deadline fails with timeout at the deadline (connect timeout = attempt deadline)",
          "[policies][transport]") {
    Fixture f;
    app::Server& s = f.server(f.backend, "server", addr("10.0.0.2"));
    s.pause();  // TCP completes into the accept queue; nobody accepts, no preface
    f.owner.open(addr("10.0.0.2"), 20_s);
    f.run_until(30_s);
    REQUIRE(f.owner.heard == std::vector<std::string>{"closed timeout ETIMEDOUT"});
    REQUIRE(f.owner.at == std::vector<Instant>{Instant::at(20_s)});
    REQUIRE(f.world.kernel(f.client_host).sockets().empty() == false);  // the closed socket lingers in the kernel
    for (const auto& v : f.world.kernel(f.client_host).sockets()) REQUIRE_FALSE(v.fd.has_value());
}

TEST_CASE("requests go one send each; a lost connection is reported once with the RPCs in flight",
          "[policies][transport]") {
    Fixture f;
    app::Server& s = f.server(f.backend, "server", addr("10.0.0.2"), app::ListenerStrategy::reuseaddr, 100_ms);
    f.owner.open(addr("10.0.0.2"));
    f.run_until(10_ms);
    REQUIRE(f.owner.transport->send_request(1));
    f.run_until(200_ms);
    REQUIRE(f.owner.heard == std::vector<std::string>{"ready", "response 1 from server"});
    REQUIRE(f.owner.transport->send_request(2));
    REQUIRE(f.owner.transport->send_request(3));
    f.run_until(250_ms);
    s.crash();  // the kernel closes the server's sockets: FIN, as Linux on exit with nothing unread
    f.run_until(1_s);
    REQUIRE(f.owner.closes == 1);
    REQUIRE(f.owner.heard.back() == "closed eof ok");
    REQUIRE(f.owner.closed->was_ready);
    REQUIRE(f.owner.closed->lost_rpcs == std::vector<std::uint32_t>{2, 3});
    REQUIRE_FALSE(f.owner.transport->send_request(4));
}

TEST_CASE("GOAWAY: no new RPCs, the one in flight is answered, then the transport closes once (grpc-go GracefulStop)",
          "[policies][transport]") {
    // How the server lets the connection go is drawn per seed (server FIN, client FIN, RST): the
    // RST case may overtake the response, as on real gRPC.
    std::set<std::string> endings;
    for (std::uint64_t seed = 0; seed < 12; ++seed) {
        Fixture f(seed);
        app::Server& s = f.server(f.backend, "server", addr("10.0.0.2"), app::ListenerStrategy::reuseaddr, 100_ms);
        f.owner.open(addr("10.0.0.2"));
        f.run_until(10_ms);
        REQUIRE(f.owner.transport->send_request(1));
        f.run_until(50_ms);
        s.graceful_stop();
        f.run_until(60_ms);
        REQUIRE(f.owner.heard == std::vector<std::string>{"ready", "goaway"});
        REQUIRE_FALSE(f.owner.transport->send_request(2));
        f.run_until(1_s);
        REQUIRE(f.owner.closes == 1);
        const std::string end = testing::PolicyWorld::field(*f.records("server.drain").front(), "end");
        endings.insert(end);
        if (end != "reset") {
            REQUIRE(f.owner.heard == std::vector<std::string>{"ready", "goaway", "response 1 from server", "closed drained ok"});
            REQUIRE(f.owner.closed->lost_rpcs.empty());
        }
    }
    REQUIRE(endings.size() == 3);
}
