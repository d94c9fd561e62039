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

namespace netsim {

// A record's kind and source parts of its hash.
constexpr std::uint64_t kind_part_of(std::string_view kind) {
    TraceHasher h(TraceHasher::kind_domain);
    h.add_string_constexpr(kind);
    return h.value();
}
constexpr std::uint64_t source_part_of(std::string_view source) {
    TraceHasher h(TraceHasher::source_domain);
    h.add_string_constexpr(source);
    return h.value();
}

// The same at run time, a word at a time.
inline std::uint64_t kind_part_of_text(std::string_view kind) {
    TraceHasher h(TraceHasher::kind_domain);
    h.add_string(kind);
    return h.value();
}
inline std::uint64_t source_part_of_text(std::string_view source) {
    TraceHasher h(TraceHasher::source_domain);
    h.add_string(source);
    return h.value();
}

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

class TraceSource {
public:
    explicit TraceSource(std::string name) : name_(std::move(name)), part_(source_part_of_text(name_)) {}

    const std::string& name() const { return name_; }
    std::uint64_t part() const { return part_; }

private:
    std::string name_;
    std::uint64_t part_;
};

}  // namespace netsim
