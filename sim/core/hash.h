// FNV-1a, 64-bit (offset basis 0xcbf29ce484222325, prime 0x100000001b3): a small, documented,
// portable hash over bytes. The trace hash and the PRNG's stream names use it, so its output
// for a given byte sequence never changes between compilers or machines.
#pragma once

#include <cstdint>
#include <string_view>

namespace netsim {

class Fnv1a64 {
public:
    static constexpr std::uint64_t offset_basis = 0xcbf29ce484222325ULL;
    static constexpr std::uint64_t prime = 0x100000001b3ULL;

    constexpr void add_byte(std::uint8_t b) {
        state_ ^= b;
        state_ *= prime;
    }
    constexpr void add_bytes(std::string_view bytes) {
        for (char c : bytes) add_byte(static_cast<std::uint8_t>(c));
    }
    // Little-endian, 8 bytes, whatever the host's byte order.
    constexpr void add_u64(std::uint64_t v) {
        for (int i = 0; i < 8; ++i) add_byte(static_cast<std::uint8_t>(v >> (8 * i)));
    }
    // Length-prefixed, so that ("ab","c") and ("a","bc") hash differently.
    constexpr void add_string(std::string_view s) {
        add_u64(s.size());
        add_bytes(s);
    }
    constexpr std::uint64_t value() const { return state_; }

private:
    std::uint64_t state_ = offset_basis;
};

constexpr std::uint64_t fnv1a64(std::string_view bytes) {
    Fnv1a64 h;
    h.add_bytes(bytes);
    return h.value();
}

}  // namespace netsim
