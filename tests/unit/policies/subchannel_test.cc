// The subchannel: READY only after the preface, failed attempts and the backoff between them
// (connection-backoff.md; after backoff IDLE, as grpc-go's addrConn), loss of READY going IDLE
// (connectivity-semantics-and-api.md), and the in-order walk of classic pick_first's list.
#include "policies/subchannel.h"

#include "tests/unit/policies/policy_world.h"

using namespace netsim;
using namespace netsim::literals;
using policies::ConnectivityState;
using policies::Subchannel;
using testing::addr;

namespace {

// A process hosting one subchannel the way a channel would; it can ask again on IDLE after
// backoff, as a policy does.
struct Host final : app::Process, policies::SubchannelHost {
    Rng rng;
    std::unique_ptr<Subchannel> subchannel;
    std::vector<std::pair<Instant, ConnectivityState>> states;
    std::vector<std::uint32_t> answered, lost;
    std::vector<std::unique_ptr<policies::ClientTransport>> released;
    bool retry_after_backoff = false;

    Host(app::World& w, net::HostId h, std::string name)
        : Process(w, h, std::move(name)), rng(sim().rng_stream("backoff/client")) {}

    Subchannel& make(std::vector<net::SocketAddress> addresses) {
        subchannel = std::make_unique<Subchannel>(*this, policies::SubchannelId{1}, std::move(addresses),
                                                  policies::BackoffConfig{}, rng, "client");
        return *subchannel;
    }
    app::Process& process() override { return *this; }
    void on_subchannel_state(Subchannel& s, ConnectivityState from, ConnectivityState to) override {
        states.emplace_back(sim().now(), to);
        if (retry_after_backoff && from == ConnectivityState::transient_failure && to == ConnectivityState::idle)
            s.request_connection();
    }
    void on_rpc_response(std::uint32_t rpc, kernel::ProcessId) override { answered.push_back(rpc); }
    void on_rpcs_lost(std::span<const std::uint32_t> rpcs) override { lost.insert(lost.end(), rpcs.begin(), rpcs.end()); }
    void on_rpcs_refused(std::span<const std::uint32_t> rpcs) override { lost.insert(lost.end(), rpcs.begin(), rpcs.end()); }
    void on_load_report(Subchannel&, const app::LoadReport&) override {}
    void adopt_draining(std::unique_ptr<policies::ClientTransport> t) override {
        t->close();
        released.push_back(std::move(t));
    }
    void release(std::unique_ptr<policies::ClientTransport> t) override { released.push_back(std::move(t)); }

    std::vector<ConnectivityState> entered() const {
        std::vector<ConnectivityState> out;
        for (const auto& [when, s] : states) out.push_back(s);
        return out;
    }
};

struct Fixture : testing::PolicyWorld {
    using PolicyWorld::PolicyWorld;
    net::HostId backend = host("backend", {"10.0.0.2", "10.0.0.3", "10.0.0.4"});
    Host& h = world.spawn<Host>(client_host, "client");
};

using S = ConnectivityState;

}  // namespace

TEST_CASE("a subchannel is READY only once the preface arrived", "[policies][subchannel]") {
    Fixture f;
    f.server(f.backend, "server", addr("10.0.0.2"));
    Subchannel& s = f.h.make({addr("10.0.0.2")});
    s.request_connection();
    f.run_until(3_ms);  // TCP is connected since 2 ms; no preface yet
    REQUIRE(s.state() == S::connecting);
    f.run_until(10_ms);
    REQUIRE(f.h.states == std::vector<std::pair<Instant, S>>{{Instant::start(), S::connecting}, {Instant::at(4_ms), S::ready}});
    REQUIRE(s.connected_address() == addr("10.0.0.2"));
}

TEST_CASE("a server that accepts and closes at once makes a failed attempt: TF, then IDLE at the backoff deadline",
          "[policies][subchannel]") {
    Fixture f;
    app::Server& server = f.server(f.backend, "server", addr("10.0.0.2"), app::ListenerStrategy::restartable);
    server.stop();
    Subchannel& s = f.h.make({addr("10.0.0.2")});
    s.request_connection();
    f.run_until(5_s);
    REQUIRE(f.h.entered() == std::vector<S>{S::connecting, S::transient_failure, S::idle});
    REQUIRE(f.h.states[2].first == Instant::at(1_s));  // first deadline: INITIAL_BACKOFF, no jitter
    s.request_connection();  // TF ignores requests; IDLE takes them
    REQUIRE(s.state() == S::connecting);
}

TEST_CASE("failed attempts retry at the backoff deadlines drawn from the channel's backoff stream (exact instants)",
          "[policies][subchannel]") {
    Fixture f(42);
    f.h.retry_after_backoff = true;
    Subchannel& s = f.h.make({addr("10.0.0.2")});  // nothing listens: refused after one RTT
    s.request_connection();
    f.run_until(30_s);
    // The same stream, by the algorithm of connection-backoff.md: attempt k starts at the
    // deadline of attempt k - 1 and fails one RTT (2 ms) later.
    Rng mirror_rng = f.sim().rng_stream("backoff/client");
    policies::ConnectionBackoff mirror(policies::BackoffConfig{}, mirror_rng);
    std::vector<std::pair<Instant, S>> expected;
    Instant start = Instant::start();
    while (start <= Instant::at(30_s)) {
        if (start > Instant::start()) expected.emplace_back(start, S::idle);
        expected.emplace_back(start, S::connecting);
        (void)mirror.start_attempt(start);
        if (start + 2_ms <= Instant::at(30_s)) expected.emplace_back(start + 2_ms, S::transient_failure);
        start = mirror.retry_at();
    }
    REQUIRE(f.h.states == expected);
    REQUIRE(expected.size() > 15);
}

TEST_CASE("a READY subchannel whose connection is lost goes IDLE, not CONNECTING", "[policies][subchannel]") {
    Fixture f;
    app::Server& server = f.server(f.backend, "server", addr("10.0.0.2"), app::ListenerStrategy::reuseaddr, 1_s);
    Subchannel& s = f.h.make({addr("10.0.0.2")});
    s.request_connection();
    f.run_until(10_ms);
    REQUIRE(s.start_rpc(7));
    server.crash();
    f.run_until(100_ms);
    REQUIRE(f.h.entered() == std::vector<S>{S::connecting, S::ready, S::idle});
    REQUIRE(f.h.lost == std::vector<std::uint32_t>{7});
    REQUIRE_FALSE(s.start_rpc(8));
}

TEST_CASE("one attempt walks the address list in order until one is READY (classic pick_first subchannel)",
          "[policies][subchannel]") {
    Fixture f;
    f.server(f.backend, "server", addr("10.0.0.4"));
    Subchannel& s = f.h.make({addr("10.0.0.2"), addr("10.0.0.3"), addr("10.0.0.4")});
    s.request_connection();
    f.run_until(100_ms);
    REQUIRE(f.h.entered() == std::vector<S>{S::connecting, S::ready});
    REQUIRE(f.connects() == std::vector<std::pair<Duration, std::string>>{
                                {0_ms, "10.0.0.2:50051"}, {2_ms, "10.0.0.3:50051"}, {4_ms, "10.0.0.4:50051"}});
    REQUIRE(s.connected_address() == addr("10.0.0.4"));
}

TEST_CASE("an address update keeps a READY connection whose address is still listed, anywhere (grpc-go updateAddrs)",
          "[policies][subchannel]") {
    Fixture f;
    f.server(f.backend, "b", addr("10.0.0.3"));
    f.server(f.backend, "c", addr("10.0.0.4"));
    Subchannel& s = f.h.make({addr("10.0.0.3")});
    s.request_connection();
    f.run_until(10_ms);
    s.update_addresses({addr("10.0.0.2"), addr("10.0.0.3")});
    f.run_until(20_ms);
    REQUIRE(f.h.entered() == std::vector<S>{S::connecting, S::ready});
    REQUIRE(f.connects().size() == 1);
    // Dropping it: a fresh attempt on the new list, CONNECTING straight from READY.
    s.update_addresses({addr("10.0.0.4")});
    f.run_until(30_ms);
    REQUIRE(f.h.entered() == std::vector<S>{S::connecting, S::ready, S::connecting, S::ready});
    REQUIRE(s.connected_address() == addr("10.0.0.4"));
}
