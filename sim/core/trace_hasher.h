// The trace hash's steps over its canonical encoding (see trace.cc), exposed so that tests can
// rebuild a hash by hand, so that record sources and kinds can be hashed once, ahead of their
// records (TraceSource, TraceKind), and so that a record's fields can be hashed as they are
// added (TraceFieldList). Every step is a fixed function of the words, the same on every
// machine and at compile time.
#pragma once

#include "sim/core/hash.h"

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace netsim {

// One part of a record's hash (its source, its kind, its header or its fields; see trace.cc):
// the sum of its words, each mixed with its position by a bijection that depends on no other
// word. The mixes are independent, so the processor computes them side by side (a chain of
// multiplies, one per word, was the cost before), and a word that differs always changes the
// sum, since each mix is a bijection of its word and addition is one of each term.
class TraceHasher {
public:
    // The part's domain: its first position key (positions step by `position_step`).
    constexpr explicit TraceHasher(std::uint64_t domain) : key_(domain) {}
    [[gnu::always_inline]] constexpr void add_u64(std::uint64_t word) {
        sum_ += mix(word, key_);
        key_ += position_step;
    }
    // A string of up to 7 bytes is one word: its bytes in little-endian order, the length in the
    // top byte. A longer one is the word (0xff << 56 | length), then its bytes in little-endian
    // 8-byte words, the last one zero-padded. Inline, so that hashing a record keeps the state in
    // a register instead of a store and a load per word. A partial word is assembled from
    // overlapping loads that stay inside the string: the bytes two loads share are the same
    // bytes at the same positions, so OR-ing them is exact.
    [[gnu::always_inline]] void add_string(std::string_view s) { add_marked_string(s, 0); }
    // A field's key with its value's tag (0 = int64, 1 = string, 2 = label, 3 = endpoint) in the
    // string's first word: a key of up to 7 bytes has (length | tag << 4) in its top byte, a
    // longer one starts with (0xff << 56 | tag << 48 | length).
    [[gnu::always_inline]] void add_key(std::string_view key, unsigned tag) { add_marked_string(key, tag); }
    constexpr std::uint64_t value() const { return sum_; }

    // The four parts' domains.
    static constexpr std::uint64_t source_domain = 0x243f6a8885a308d3ULL;
    static constexpr std::uint64_t kind_domain = 0x13198a2e03707344ULL;
    static constexpr std::uint64_t header_domain = 0xa4093822299f31d0ULL;
    static constexpr std::uint64_t fields_domain = 0x082efa98ec4e6c89ULL;
    static constexpr std::uint64_t position_step = 0x9e3779b97f4a7c15ULL;

    // A word mixed with its position key: (w ^ key) * K, then its high half folded into its low
    // half; both steps are bijections of w.
    static constexpr std::uint64_t mix(std::uint64_t word, std::uint64_t key) {
        const std::uint64_t x = (word ^ key) * 0xff51afd7ed558ccdULL;
        return x ^ (x >> 32);
    }
    // A record's word from the sum of its parts: MurmurHash3's 64-bit finaliser, a bijection.
    static constexpr std::uint64_t record_word(std::uint64_t parts) {
        parts ^= parts >> 33;
        parts *= 0xff51afd7ed558ccdULL;
        parts ^= parts >> 33;
        parts *= 0xc4ceb9fe1a85ec53ULL;
        return parts ^ (parts >> 33);
    }
    // The trace's hash after one more record: rotl((h ^ word) * p, 29) with FNV-1a's 64-bit
    // prime p, a bijection of h for each word and of the word for each h.
    static constexpr std::uint64_t step(std::uint64_t trace_hash, std::uint64_t word) {
        const std::uint64_t x = (trace_hash ^ word) * Fnv1a64::prime;
        return (x << 29) | (x >> 35);
    }

    // Eight (four) bytes as a little-endian word, whatever the host's byte order.
    static std::uint64_t load_le64(const char* bytes) {
        std::uint64_t w;
        std::memcpy(&w, bytes, 8);
        if constexpr (std::endian::native == std::endian::big) w = __builtin_bswap64(w);
        return w;
    }
    // Up to 7 bytes as a little-endian word.
    [[gnu::always_inline]] static std::uint64_t short_string_word(const char* p, std::size_t n) {
        if (n == 0) return 0;
        if (n <= 3) {
            const auto byte = [&](std::size_t i) { return std::uint64_t{static_cast<std::uint8_t>(p[i])} << (8 * i); };
            return byte(0) | byte(n / 2) | byte(n - 1);
        }
        return std::uint64_t{load_le32(p)} | std::uint64_t{load_le32(p + n - 4)} << (8 * (n - 4));
    }
    // The same as add_string, one byte at a time, so that it can run at compile time (a record
    // kind's part is computed where the kind is written; see TraceKind).
    constexpr void add_string_constexpr(std::string_view s) {
        const std::size_t n = s.size();
        if (n < 8) {
            add_u64(short_word_constexpr(s, 0));
            return;
        }
        add_u64(std::uint64_t{0xff} << 56 | n);
        for (std::size_t i = 0; i < n; i += 8) add_u64(bytes_word_constexpr(s, i, n - i < 8 ? n - i : 8));
    }
    // A string of up to 7 bytes as its one word, marked with `tag` (add_key's form), at compile time.
    static constexpr std::uint64_t short_word_constexpr(std::string_view s, unsigned tag) {
        return bytes_word_constexpr(s, 0, s.size()) | std::uint64_t{s.size() | tag << 4} << 56;
    }
    // `count` (at most 8) bytes of `s` from `from` as a little-endian word, at compile time.
    static constexpr std::uint64_t bytes_word_constexpr(std::string_view s, std::size_t from, std::size_t count) {
        std::uint64_t w = 0;
        for (std::size_t b = 0; b < count; ++b) w |= std::uint64_t{static_cast<std::uint8_t>(s[from + b])} << (8 * b);
        return w;
    }
    static std::uint32_t load_le32(const char* bytes) {
        std::uint32_t w;
        std::memcpy(&w, bytes, 4);
        if constexpr (std::endian::native == std::endian::big) w = __builtin_bswap32(w);
        return w;
    }

private:
    [[gnu::always_inline]] void add_marked_string(std::string_view s, unsigned tag) {
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

    std::uint64_t key_;
    std::uint64_t sum_ = 0;
};

}  // namespace netsim
