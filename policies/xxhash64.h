// XXH64 with seed 0 (github.com/Cyan4973/xxHash, the XXH64() function), the hash gRFC A42 names
// for ring_hash: endpoints are placed on the ring by XXH64 of "<address>_<index>" and requests
// by XXH64 of their hash key (gRFC A76), so a ring built here matches gRPC's entry for entry.
// A pure function of the bytes: the same on every platform (little-endian reads, done bytewise).
#pragma once

#include <cstdint>
#include <string_view>

namespace netsim::policies {

std::uint64_t xxhash64(std::string_view bytes, std::uint64_t seed = 0);

}  // namespace netsim::policies
