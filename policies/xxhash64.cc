// XXH64, after the algorithm description in xxHash's doc/xxhash_spec.md (section "XXH64").
#include "policies/xxhash64.h"

namespace netsim::policies {

namespace {

constexpr std::uint64_t prime1 = 0x9E3779B185EBCA87ULL;
constexpr std::uint64_t prime2 = 0xC2B2AE3D27D4EB4FULL;
constexpr std::uint64_t prime3 = 0x165667B19E3779F9ULL;
constexpr std::uint64_t prime4 = 0x85EBCA77C2B2AE63ULL;
constexpr std::uint64_t prime5 = 0x27D4EB2F165667C5ULL;

constexpr std::uint64_t rotl(std::uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

// Little-endian reads, bytewise so that the result does not depend on the host.
std::uint64_t read64(const unsigned char* p) {
    std::uint64_t v = 0;
    for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
    return v;
}
std::uint64_t read32(const unsigned char* p) {
    std::uint64_t v = 0;
    for (int i = 3; i >= 0; --i) v = (v << 8) | p[i];
    return v;
}

std::uint64_t round(std::uint64_t acc, std::uint64_t lane) {
    acc += lane * prime2;
    acc = rotl(acc, 31);
    return acc * prime1;
}
std::uint64_t merge(std::uint64_t acc, std::uint64_t v) {
    acc ^= round(0, v);
    return acc * prime1 + prime4;
}

}  // namespace

std::uint64_t xxhash64(std::string_view bytes, std::uint64_t seed) {
    const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
    const std::size_t length = bytes.size();
    const unsigned char* const end = p + length;
    std::uint64_t h = 0;
    if (length >= 32) {
        // Four accumulators over 32-byte stripes.
        std::uint64_t v1 = seed + prime1 + prime2, v2 = seed + prime2, v3 = seed, v4 = seed - prime1;
        for (; p + 32 <= end; p += 32) {
            v1 = round(v1, read64(p));
            v2 = round(v2, read64(p + 8));
            v3 = round(v3, read64(p + 16));
            v4 = round(v4, read64(p + 24));
        }
        h = rotl(v1, 1) + rotl(v2, 7) + rotl(v3, 12) + rotl(v4, 18);
        h = merge(merge(merge(merge(h, v1), v2), v3), v4);
    } else {
        h = seed + prime5;
    }
    h += static_cast<std::uint64_t>(length);
    // The remaining 0..31 bytes: 8, then 4, then 1 at a time.
    for (; p + 8 <= end; p += 8) h = rotl(h ^ round(0, read64(p)), 27) * prime1 + prime4;
    if (p + 4 <= end) {
        h = rotl(h ^ (read32(p) * prime1), 23) * prime2 + prime3;
        p += 4;
    }
    for (; p < end; ++p) h = rotl(h ^ (*p * prime5), 11) * prime1;
    // Avalanche.
    h ^= h >> 33;
    h *= prime2;
    h ^= h >> 29;
    h *= prime3;
    h ^= h >> 32;
    return h;
}

}  // namespace netsim::policies
