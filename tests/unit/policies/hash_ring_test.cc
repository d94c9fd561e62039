// The ring of ring_hash: entry counts per weight and ring size bounds (gRFC A42, Envoy's
// ring_hash_lb and grpc-go balancer/ringhash/ring.go newRing), entry hashes XXH64("<key>_<k>"),
// and the clockwise search with wrap-around (grpc-go ring.pick).
#include "policies/hash_ring.h"
#include "policies/xxhash64.h"

#include "tests/support/catch.h"

#include <map>

using namespace netsim::policies;

namespace {

std::map<std::size_t, std::size_t> counts(const std::vector<RingEntry>& ring) {
    std::map<std::size_t, std::size_t> out;
    for (const RingEntry& e : ring) ++out[e.endpoint];
    return out;
}

const std::vector<RingEndpoint> three{{"10.0.0.2:50051", 1}, {"10.0.0.3:50051", 1}, {"10.0.0.4:50051", 1}};

}  // namespace

TEST_CASE("equal weights: each endpoint gets ceil(min_ring_size / n) entries (A42: min_ring_size 1024)",
          "[policies][hash_ring]") {
    const auto ring = build_ring(three, 1024, 4096);
    REQUIRE(ring.size() == 1026);
    REQUIRE(counts(ring) == std::map<std::size_t, std::size_t>{{0, 342}, {1, 342}, {2, 342}});
}

TEST_CASE("weights share the ring in proportion, the smallest getting at least its share of min_ring_size",
          "[policies][hash_ring]") {
    // Weight 2:1:1 (A42: an address listed twice has weight 2): smallest share 1/4 -> 256 entries.
    const auto ring = build_ring({{"a", 2}, {"b", 1}, {"c", 1}}, 1024, 4096);
    REQUIRE(counts(ring) == std::map<std::size_t, std::size_t>{{0, 512}, {1, 256}, {2, 256}});
}

TEST_CASE("max_ring_size caps the ring", "[policies][hash_ring]") {
    const auto ring = build_ring(three, 100, 100);
    REQUIRE(ring.size() == 100);
    REQUIRE(counts(ring) == std::map<std::size_t, std::size_t>{{0, 34}, {1, 33}, {2, 33}});
    // Weight 1 against 1000: 2 entries for the small one already need 2002 in all (under the cap).
    REQUIRE(build_ring({{"a", 1}, {"b", 1000}}, 1024, 4096).size() == 2002);
    REQUIRE(build_ring({{"a", 1}, {"b", 10000}}, 1024, 4096).size() == 4096);
}

TEST_CASE("entries hash XXH64(\"<key>_<k>\") and are sorted by hash (A42; grpc-go ring.go)", "[policies][hash_ring]") {
    const auto ring = build_ring({{"10.0.0.2:50051", 1}}, 4, 4);
    REQUIRE(ring.size() == 4);
    std::vector<std::uint64_t> want;
    for (int k = 0; k < 4; ++k) want.push_back(xxhash64("10.0.0.2:50051_" + std::to_string(k)));
    std::sort(want.begin(), want.end());
    for (std::size_t i = 0; i < 4; ++i) REQUIRE(ring[i].hash == want[i]);
    REQUIRE(want[0] < want[3]);
}

TEST_CASE("a hash goes to the first entry at or after it, wrapping past the last (grpc-go ring.pick)",
          "[policies][hash_ring]") {
    const auto ring = build_ring(three, 16, 16);
    REQUIRE(ring_index_for(ring, 0) == 0);
    REQUIRE(ring_index_for(ring, ring[5].hash) == 5);
    REQUIRE(ring_index_for(ring, ring[5].hash + 1) == 6);
    REQUIRE(ring_index_for(ring, ring.back().hash + 1) == 0);
    REQUIRE(ring_index_for(ring, UINT64_MAX) == (ring.back().hash == UINT64_MAX ? ring.size() - 1 : 0));
}
