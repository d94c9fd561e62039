// The ring of ring_hash (gRFC A42, as Envoy and grpc-go balancer/ringhash/ring.go build it): each
// endpoint gets a number of entries in proportion to its weight, the smallest weight at least
// ceil(min_ring_size x its share) of them, the whole ring at most max_ring_size; entry k of an
// endpoint hashes XXH64("<hash key>_<k>"). Entries are sorted by hash; a request goes to the
// first entry at or after its hash, wrapping round. Sizes are computed with exact integer
// ratios (grpc-go uses float64; the two agree except where float rounding adds an entry).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace netsim::policies {

struct RingEntry {
    std::uint64_t hash = 0;
    std::size_t endpoint = 0;  // index into the endpoints the ring was built for
};

struct RingEndpoint {
    std::string hash_key;     // the address, "10.0.0.2:50051" or "[fd00::2]:50051"
    std::uint64_t weight = 1;  // > 0
};

// The ring for `endpoints` (not empty); 1 <= min_ring_size <= max_ring_size.
std::vector<RingEntry> build_ring(const std::vector<RingEndpoint>& endpoints, std::uint64_t min_ring_size,
                                  std::uint64_t max_ring_size);
// The index of the first entry whose hash is >= `hash`, or 0 past the last (`ring` not empty).
std::size_t ring_index_for(const std::vector<RingEntry>& ring, std::uint64_t hash);

}  // namespace netsim::policies
