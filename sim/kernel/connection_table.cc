#include "sim/kernel/connection_table.h"

#include <cstring>

namespace netsim::kernel {

namespace {

std::uint64_t mix(std::uint64_t h, std::uint64_t w) {
    h ^= w;
    h *= 0x9e3779b97f4a7c15ULL;
    return h ^ (h >> 32);
}

std::uint64_t address_words(const net::IpAddress& ip, std::uint64_t h) {
    std::uint64_t a, b;
    std::memcpy(&a, ip.bytes().data(), 8);
    std::memcpy(&b, ip.bytes().data() + 8, 8);
    return mix(mix(h, a), b ^ static_cast<std::uint64_t>(ip.family()));
}

}  // namespace

std::uint64_t ConnectionTable::TupleHash::of(const FourTuple& t) {
    std::uint64_t h = mix(0, std::uint64_t{t.local_port} << 16 | t.remote_port);
    h = address_words(t.local_ip, h);
    h = address_words(t.remote_ip, h);
    return h;
}

}  // namespace netsim::kernel
