// The two names every trace record carries, hashed once instead of on every record:
//   TraceKind    what happened ("tcp.state"), written as a string literal where the record is
//                made; its part of the record's hash is computed at compile time.
//   TraceSource  who reports ("machine/kernel"), owned by the reporting component and hashed
//                when the component is built.
// The hash a record gets is the same whichever way its names arrive (a precomputed part is
// exactly the part hashing the text gives), so these are a speed-up, never a format.
#pragma once

#include "sim/core/trace_hasher.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>

namespace netsim {

// A record's kind or source part of its hash: byte by byte when the compiler computes it, a word
// at a time at run time (the same value).
constexpr std::uint64_t name_part(std::uint64_t domain, std::string_view text) {
    TraceHasher h(domain);
    if (std::is_constant_evaluated()) h.add_string_constexpr(text);
    else h.add_string(text);
    return h.value();
}
constexpr std::uint64_t kind_part_of(std::string_view kind) { return name_part(TraceHasher::kind_domain, kind); }
constexpr std::uint64_t source_part_of(std::string_view source) { return name_part(TraceHasher::source_domain, source); }

class TraceKind {
public:
    // From a string literal only: the text must outlive every record, and the part is computed
    // by the compiler.
    template <std::size_t N>
    consteval TraceKind(const char (&literal)[N]) : text_(literal, N - 1), part_(kind_part_of(text_)) {}  // NOLINT: implicit on purpose

    std::string_view text() const { return text_; }
    std::uint64_t part() const { return part_; }

private:
    std::string_view text_;
    std::uint64_t part_;
};

// A field's key, written as a string literal where the field is added: a key of up to 7 bytes has
// its hash word computed by the compiler (the value's tag is or-ed in when the field is hashed),
// so hashing it costs no loads or branches. A longer key is hashed from its text.
class TraceKey {
public:
    template <std::size_t N>
    consteval TraceKey(const char (&literal)[N])  // NOLINT: implicit on purpose
        : text_(literal, N - 1), word_(N - 1 < 8 ? TraceHasher::short_word_constexpr(text_, 0) : 0) {}

    std::string_view text() const { return text_; }
    // Adds the key marked with `tag` (see TraceHasher::add_key): the same words add_key gives.
    [[gnu::always_inline]] void hash(TraceHasher& h, unsigned tag) const {
        if (text_.size() < 8) h.add_u64(word_ | std::uint64_t{tag} << 60);
        else h.add_key(text_, tag);
    }

private:
    std::string_view text_;
    std::uint64_t word_;
};

class TraceSource {
public:
    explicit TraceSource(std::string name) : name_(std::move(name)), part_(source_part_of(name_)) {}

    const std::string& name() const { return name_; }
    std::uint64_t part() const { return part_; }

private:
    std::string name_;
    std::uint64_t part_;
};

}  // namespace netsim
