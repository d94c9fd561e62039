// ring_hash (gRFC A42; grpc-go balancer/ringhash ringhash_test.go and ringhash_e2e_test.go):
// the request hash picks the first entry clockwise; subchannels connect only when a pick needs
// them; a failed owner sends its keys to the next distinct subchannel clockwise and gets them
// back once it is READY again; the aggregate rules; recovery from TRANSIENT_FAILURE with no RPC
// pending; ring stability when a backend leaves.
#include "policies/hash_ring.h"
#include "policies/xxhash64.h"

#include "tests/unit/policies/policy_world.h"

#include <set>

using namespace netsim;
using namespace netsim::literals;
using policies::ConnectivityState;
using policies::RpcStatus;
using testing::addr;

namespace {

using Strings = std::vector<std::string>;

struct Fixture : testing::ThreeBackends {
    using ThreeBackends::ThreeBackends;
    std::vector<net::SocketAddress> all{addr("10.0.0.2"), addr("10.0.0.3"), addr("10.0.0.4")};
    app::Server* sa = nullptr;
    app::Server* sb = nullptr;
    app::Server* sc = nullptr;

    void start_all() {
        sa = &server(a, "a", addr("10.0.0.2"));
        sb = &server(b, "b", addr("10.0.0.3"));
        sc = &server(c, "c", addr("10.0.0.4"));
    }
    // Sends one RPC for `key` and returns the name of the server that answered it ("-": none).
    std::string serve(policies::Channel& ch, testing::RpcLog& log, const std::string& key) {
        const std::uint32_t id = log.start(ch, {.request_hash = policies::xxhash64(key)});
        sim().run_until(sim().now() + 20_ms);
        if (!log.done(id) || log.of(id).status != RpcStatus::ok) return "-";
        return std::string(world.process_name(log.of(id).served_by));
    }
};

// The owner of `key` on the ring of `addresses`, and the next distinct endpoint clockwise.
std::pair<std::size_t, std::size_t> owner_and_next(const std::vector<net::SocketAddress>& addresses,
                                                   const std::string& key) {
    std::vector<policies::RingEndpoint> endpoints;
    for (const auto& a : addresses) endpoints.push_back({a.to_string(), 1});
    const auto ring = policies::build_ring(endpoints, 1024, 4096);
    const std::size_t first = policies::ring_index_for(ring, policies::xxhash64(key));
    for (std::size_t i = 1; i < ring.size(); ++i)
        if (ring[(first + i) % ring.size()].endpoint != ring[first].endpoint)
            return {ring[first].endpoint, ring[(first + i) % ring.size()].endpoint};
    return {ring[first].endpoint, ring[first].endpoint};
}

const char* names[] = {"a", "b", "c"};

}  // namespace

TEST_CASE("ring_hash sends every RPC of a key to the endpoint owning its hash on the ring, and keys spread over "
          "every endpoint (A42 picker; grpc-go TestRingHash_AggregateClusterFallBackFromRingHashAtStartup's hashing)",
          "[policies][ring_hash]") {
    Fixture f;
    f.start_all();
    policies::Channel& ch = f.channel("ring_hash", f.all);
    testing::RpcLog log;
    std::set<std::string> owners;
    for (int k = 0; k < 30; ++k) {
        const std::string key = "user" + std::to_string(k);
        const std::string want = names[owner_and_next(f.all, key).first];
        REQUIRE(f.serve(ch, log, key) == want);
        REQUIRE(f.serve(ch, log, key) == want);
        owners.insert(want);
    }
    REQUIRE(owners == std::set<std::string>{"a", "b", "c"});
    testing::require_every_rpc_ended(ch, log);
}

TEST_CASE("ring_hash connects only what a pick needs: subchannels start IDLE and the first RPC connects its owner "
          "alone (A42 'Subchannel State Handling')",
          "[policies][ring_hash]") {
    Fixture f;
    f.start_all();
    policies::Channel& ch = f.idle_channel("ring_hash", f.all);
    testing::RpcLog log;
    const std::string key = "user7";
    const std::size_t owner = owner_and_next(f.all, key).first;
    log.start(ch, {.request_hash = policies::xxhash64(key)});
    f.run_until(100_ms);
    REQUIRE(f.connects().size() == 1);
    REQUIRE(f.connects().front().second == f.all[owner].to_string());
    REQUIRE(f.channel_states() == Strings{"IDLE->CONNECTING", "CONNECTING->READY"});
    REQUIRE(ch.subchannels().size() == 3);
    testing::require_every_rpc_ended(ch, log);
}

TEST_CASE("ring_hash: when a key's owner crashes its RPCs move to the next distinct endpoint clockwise, and come "
          "back once the owner is READY again (A42 picker pseudo-code; grpc-go ringhash_e2e_test "
          "TestRingHash_SwitchToLowerPriorityAndThenBack's failover)",
          "[policies][ring_hash]") {
    Fixture f;
    f.start_all();
    policies::Channel& ch = f.channel("ring_hash", f.all);
    testing::RpcLog log;
    const std::string key = "session-42";
    const auto [owner, next] = owner_and_next(f.all, key);
    app::Server* servers[] = {f.sa, f.sb, f.sc};
    REQUIRE(f.serve(ch, log, key) == names[owner]);
    servers[owner]->crash();
    f.run_until(f.sim().now().since_start() + 10_ms);
    // The owner's subchannel is IDLE: the next pick reconnects it, is refused (TF), and moves on.
    const std::string during = f.serve(ch, log, key);
    REQUIRE((during == names[next] || during == "-"));
    for (int i = 0; i < 5; ++i) REQUIRE(f.serve(ch, log, key) == names[next]);
    servers[owner]->start();
    f.run_until(f.sim().now().since_start() + 3_s);  // its retry after backoff connects
    REQUIRE(f.serve(ch, log, key) == names[owner]);
    testing::require_every_rpc_ended(ch, log);
}

TEST_CASE("ring_hash aggregate: two subchannels in TRANSIENT_FAILURE make it TF while a third is not READY yet; one TF of "
          "three is CONNECTING (A42 'Aggregated Connectivity State' rules 2 and 4)",
          "[policies][ring_hash]") {
    Fixture f;
    app::Server& sc = f.server(f.c, "c", addr("10.0.0.4"));
    policies::Channel& ch = f.idle_channel("ring_hash", f.all);
    testing::RpcLog log;
    // A key owned by a (down); its next distinct endpoint decides the rest.
    std::string key;
    for (int k = 0; key.empty(); ++k)
        if (owner_and_next(f.all, "k" + std::to_string(k)) == std::pair<std::size_t, std::size_t>{0, 1})
            key = "k" + std::to_string(k);
    log.start(ch, {.wait_for_ready = true, .request_hash = policies::xxhash64(key)});
    f.run_until(50_ms);
    auto failed_at = [&](std::int64_t subchannel) {
        for (const TraceRecord* r : f.records("subchannel.state"))
            if (testing::PolicyWorld::int_field(*r, "subchannel") == subchannel &&
                testing::PolicyWorld::field(*r, "to") == "TRANSIENT_FAILURE")
                return r->at;
        FAIL("subchannel " << subchannel << " never failed");
        return Instant::max();
    };
    // a (subchannel 1) refused: one TF of three is still CONNECTING (rule 4). The pick moves on
    // to b, next clockwise, refused too: two TF make the channel TRANSIENT_FAILURE (rule 2) at
    // that instant, though c was not READY yet; c, reached further round, then makes it READY.
    REQUIRE(f.channel_states() ==
            Strings{"IDLE->CONNECTING", "CONNECTING->TRANSIENT_FAILURE", "TRANSIENT_FAILURE->READY"});
    REQUIRE(failed_at(1) < failed_at(2));
    REQUIRE(f.channel_entered("TRANSIENT_FAILURE") == failed_at(2));
    REQUIRE(f.subchannel_states(3) == Strings{"CONNECTING", "READY"});
    // The wait-for-ready RPC ends on c, the first READY endpoint further round the ring.
    f.run_until(5_s);
    REQUIRE(log.of(1).served_by == sc.id());
    REQUIRE(ch.state() == ConnectivityState::ready);
    testing::require_every_rpc_ended(ch, log);
}

TEST_CASE("ring_hash in TRANSIENT_FAILURE keeps connecting by itself: a backend that comes back makes it READY "
          "with no RPC pending (A42: 'attempting to connect to at least one subchannel at any given time')",
          "[policies][ring_hash]") {
    Fixture f;
    policies::Channel& ch = f.channel("ring_hash", f.all);
    testing::RpcLog log;
    const std::uint32_t id = log.start(ch, {.deadline = 500_ms, .request_hash = policies::xxhash64("x")});
    f.run_until(1_s);
    REQUIRE(log.of(id).status != RpcStatus::ok);
    REQUIRE(ch.state() == ConnectivityState::transient_failure);
    f.server(f.b, "b", addr("10.0.0.3"));
    f.run_until(20_s);
    REQUIRE(ch.rpcs_pending() == 0);
    REQUIRE(ch.state() == ConnectivityState::ready);
    testing::require_every_rpc_ended(ch, log);
}

TEST_CASE("ring_hash: when a backend leaves the resolver list its keys move and most others keep their endpoint; "
          "the remaining ones move only because the survivors' rings grow (A42 ring sizing, consistent hashing)",
          "[policies][ring_hash]") {
    Fixture f;
    f.start_all();
    policies::Channel& ch = f.channel("ring_hash", f.all);
    testing::RpcLog log;
    std::map<std::string, std::string> before;
    for (int k = 0; k < 40; ++k) before["key" + std::to_string(k)] = f.serve(ch, log, "key" + std::to_string(k));
    ch.resolver().update({addr("10.0.0.2"), addr("10.0.0.3")});
    f.run_until(f.sim().now().since_start() + 10_ms);
    const std::vector<net::SocketAddress> left{addr("10.0.0.2"), addr("10.0.0.3")};
    int c_keys = 0, kept = 0, others = 0;
    for (const auto& [key, server] : before) {
        const std::string now = f.serve(ch, log, key);
        REQUIRE(now == names[owner_and_next(left, key).first]);  // the ring of the new list, exactly
        if (server == "c") {
            ++c_keys;
        } else {
            ++others;
            kept += now == server;
        }
    }
    // a and b go from 342 entries to 512 each: a key of theirs moves only when one of the new
    // entries lands just before it (3 of the 27 here); every key of c moves.
    INFO(kept << " of " << others << " kept; " << c_keys << " keys of c moved");
    REQUIRE(c_keys > 0);
    REQUIRE(kept * 10 >= others * 7);
    testing::require_every_rpc_ended(ch, log);
}

TEST_CASE("ring_hash configuration: min_ring_size and max_ring_size, 1..8M, min not above max (A42 "
          "RingHashLoadBalancingConfig; grpc-go ringhash config validation)",
          "[policies][ring_hash]") {
    const policies::PolicyRegistry& r = policies::PolicyRegistry::builtin();
    auto error = [&](policies::PolicyConfig config) {
        const auto lookup = r.lookup("ring_hash", config);
        REQUIRE(std::holds_alternative<policies::PolicyConfigError>(lookup));
        return std::get<policies::PolicyConfigError>(lookup);
    };
    REQUIRE(std::holds_alternative<policies::PolicyMaker>(r.lookup("ring_hash", {{"min_ring_size", "16"}, {"max_ring_size", "64"}})));
    REQUIRE(error({{"min_ring_size", "0"}}).message == "min_ring_size: expected a whole number from 1 to 8388608, got '0'");
    REQUIRE(error({{"max_ring_size", "8388609"}}).entry == 0u);
    const auto inverted = error({{"max_ring_size", "100"}, {"min_ring_size", "200"}});
    REQUIRE(inverted.message == "min_ring_size 200 is above max_ring_size 100");
    REQUIRE(inverted.entry == 0u);
    REQUIRE(error({{"ring_size", "5"}}).message == "ring_hash has no option 'ring_size' (options: min_ring_size, max_ring_size)");
}
