#include "sim/kernel/connection_table.h"

#include <cstring>

namespace netsim::kernel {

namespace {

// An address's 16 bytes and family folded into one word by one multiply (OpenIndex spreads
// the result again, so the fold only needs to keep distinct tuples apart in practice).
std::uint64_t address_word(const net::IpAddress& ip, std::uint64_t k) {
    std::uint64_t a, b;
    std::memcpy(&a, ip.bytes().data(), 8);
    std::memcpy(&b, ip.bytes().data() + 8, 8);
    return (a * k) ^ b ^ static_cast<std::uint64_t>(ip.family());
}

}  // namespace

std::uint64_t ConnectionTable::TupleHash::of(const FourTuple& t) {
    // Independent multiplies, so the hash costs about one multiply's latency, not five.
    const std::uint64_t local = address_word(t.local_ip, 0xff51afd7ed558ccdULL);
    const std::uint64_t remote = address_word(t.remote_ip, 0xc4ceb9fe1a85ec53ULL);
    const std::uint64_t ports = std::uint64_t{t.local_port} << 16 | t.remote_port;
    return (local * 0x9e3779b97f4a7c15ULL) ^ (remote * 0xd6e8feb86659fd93ULL) ^ (ports * 0x94d049bb133111ebULL);
}

}  // namespace netsim::kernel
