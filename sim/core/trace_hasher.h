// The trace hash's step over its canonical encoding (see trace.cc), exposed so that tests can
// rebuild a hash by hand and so that record sources and kinds can be hashed once, ahead of
// their records (TraceSource, TraceKind). Every step is a fixed function of the words, the
// same on every machine and at compile time.
#pragma once

#include "sim/core/hash.h"

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace netsim {

class TraceHasher {
public:
    constexpr explicit TraceHasher(std::uint64_t state = Fnv1a64::offset_basis) : state_(state) {}
    constexpr void add_u64(std::uint64_t word) {
        state_ = (state_ ^ word) * Fnv1a64::prime;
        state_ = (state_ << 29) | (state_ >> 35);
    }
    // A string of up to 7 bytes is one word: its bytes in little-endian order, the length in the
    // top byte. A longer one is the word (0xff << 56 | length), then its bytes in little-endian
    // 8-byte words, the last one zero-padded. Inline, so that hashing a record keeps the state in
    // a register instead of a store and a load per word. A partial word is assembled from
    // overlapping loads that stay inside the string: the bytes two loads share are the same
    // bytes at the same positions, so OR-ing them is exact.
    void add_string(std::string_view s) { add_marked_string(s, 0); }
    // A field's key with its value's tag (0 = int64, 1 = string, 2 = label, 3 = endpoint) in the
    // string's first word: a key of up to 7 bytes has (length | tag << 4) in its top byte, a
    // longer one starts with (0xff << 56 | tag << 48 | length).
    void add_key(std::string_view key, unsigned tag) { add_marked_string(key, tag); }
    constexpr std::uint64_t value() const { return state_; }

    // Eight (four) bytes as a little-endian word, whatever the host's byte order.
    static std::uint64_t load_le64(const char* bytes) {
        std::uint64_t w;
        std::memcpy(&w, bytes, 8);
        if constexpr (std::endian::native == std::endian::big) w = __builtin_bswap64(w);
        return w;
    }
    // Up to 7 bytes as a little-endian word.
    static std::uint64_t short_string_word(const char* p, std::size_t n) {
        if (n == 0) return 0;
        if (n <= 3) {
            const auto byte = [&](std::size_t i) { return std::uint64_t{static_cast<std::uint8_t>(p[i])} << (8 * i); };
            return byte(0) | byte(n / 2) | byte(n - 1);
        }
        return std::uint64_t{load_le32(p)} | std::uint64_t{load_le32(p + n - 4)} << (8 * (n - 4));
    }
    // The three lanes a record is hashed in (see trace.cc), and the word that joins them: a
    // bijection of each lane's state for fixed others, so a record that differs in one word
    // gives a different word.
    static constexpr std::uint64_t names_seed = Fnv1a64::offset_basis;
    static constexpr std::uint64_t values_seed = 0x9e3779b97f4a7c15ULL;
    static constexpr std::uint64_t kinds_seed = 0xc2b2ae3d27d4eb4fULL;
    static std::uint64_t record_word(std::uint64_t names, std::uint64_t kinds, std::uint64_t values) {
        kinds *= Fnv1a64::prime;
        values *= 0x9e3779b97f4a7c15ULL;
        return names ^ ((kinds << 21) | (kinds >> 43)) ^ ((values << 42) | (values >> 22));
    }
    // The same as add_string, one byte at a time, so that it can run at compile time (a record
    // kind's lane state is computed where the kind is written; see TraceKind).
    constexpr void add_string_constexpr(std::string_view s) {
        const std::size_t n = s.size();
        const auto word_at = [&](std::size_t from, std::size_t count) {
            std::uint64_t w = 0;
            for (std::size_t b = 0; b < count; ++b) w |= std::uint64_t{static_cast<std::uint8_t>(s[from + b])} << (8 * b);
            return w;
        };
        if (n < 8) {
            add_u64(word_at(0, n) | std::uint64_t{n} << 56);
            return;
        }
        add_u64(std::uint64_t{0xff} << 56 | n);
        for (std::size_t i = 0; i < n; i += 8) add_u64(word_at(i, n - i < 8 ? n - i : 8));
    }
    static std::uint32_t load_le32(const char* bytes) {
        std::uint32_t w;
        std::memcpy(&w, bytes, 4);
        if constexpr (std::endian::native == std::endian::big) w = __builtin_bswap32(w);
        return w;
    }

private:
    void add_marked_string(std::string_view s, unsigned tag) {
        const std::size_t n = s.size();
        const char* p = s.data();
        if (n < 8) {
            add_u64(short_string_word(p, n) | std::uint64_t{n | tag << 4} << 56);
            return;
        }
        add_u64(std::uint64_t{0xff} << 56 | std::uint64_t{tag} << 48 | n);
        std::size_t i = 0;
        for (; i + 8 <= n; i += 8) add_u64(load_le64(p + i));
        if (const std::size_t rest = n - i; rest > 0) add_u64(load_le64(p + n - 8) >> (8 * (8 - rest)));
    }

    std::uint64_t state_;
};

}  // namespace netsim
