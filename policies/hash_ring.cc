// Building and searching the ring (see hash_ring.h).
#include "policies/hash_ring.h"

#include "policies/xxhash64.h"
#include "sim/core/check.h"

#include <algorithm>
#include <string>

namespace netsim::policies {

namespace {

__extension__ typedef unsigned __int128 u128;  // exact products of sizes and weights

std::uint64_t ceil_div(u128 a, u128 b) { return static_cast<std::uint64_t>((a + b - 1) / b); }

}  // namespace

std::vector<RingEntry> build_ring(const std::vector<RingEndpoint>& endpoints, std::uint64_t min_ring_size,
                                  std::uint64_t max_ring_size) {
    NETSIM_CHECK(!endpoints.empty() && min_ring_size >= 1 && min_ring_size <= max_ring_size);
    std::uint64_t total = 0, smallest = endpoints.front().weight;
    for (const RingEndpoint& e : endpoints) {
        NETSIM_CHECK(e.weight > 0);
        total += e.weight;
        smallest = std::min(smallest, e.weight);
    }
    // scale = min(ceil(min_share x min_ring_size) / min_share, max_ring_size), min_share being
    // smallest / total; kept as the ratio scale_num / smallest.
    u128 scale_num = u128{ceil_div(u128{smallest} * min_ring_size, total)} * total;
    if (scale_num > u128{max_ring_size} * smallest) scale_num = u128{max_ring_size} * smallest;
    std::vector<RingEntry> ring;
    std::uint64_t made = 0, cumulative = 0;
    for (std::size_t i = 0; i < endpoints.size(); ++i) {
        // Entries so far: ceil(scale x cumulative share), as grpc-go's `currentHashes < targetHashes`.
        cumulative += endpoints[i].weight;
        const std::uint64_t target = ceil_div(scale_num * cumulative, u128{smallest} * total);
        for (std::uint64_t k = 0; made < target; ++k, ++made)
            ring.push_back({xxhash64(endpoints[i].hash_key + "_" + std::to_string(k)), i});
    }
    std::sort(ring.begin(), ring.end(), [](const RingEntry& a, const RingEntry& b) {
        return a.hash != b.hash ? a.hash < b.hash : a.endpoint < b.endpoint;
    });
    return ring;
}

std::size_t ring_index_for(const std::vector<RingEntry>& ring, std::uint64_t hash) {
    auto it = std::lower_bound(ring.begin(), ring.end(), hash, [](const RingEntry& e, std::uint64_t h) { return e.hash < h; });
    return it == ring.end() ? 0 : static_cast<std::size_t>(it - ring.begin());
}

}  // namespace netsim::policies
