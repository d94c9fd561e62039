// The two names every trace record carries, hashed once instead of on every record:
//   TraceKind    what happened ("tcp.state"), written as a string literal where the record is
//                made; its hash lane state is computed at compile time.
//   TraceSource  who reports ("machine/kernel"), owned by the reporting component and hashed
//                when the component is built.
// The hash a record gets is the same whichever way its names arrive (a precomputed state is
// exactly the state hashing the text would reach), so these are a speed-up, never a format.
#pragma once

#include "sim/core/trace_hasher.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace netsim {

// The state of a record's kinds lane after its kind, or of its names lane after its source.
constexpr std::uint64_t kind_lane_after(std::string_view kind) {
    TraceHasher h(TraceHasher::kinds_seed);
    h.add_string_constexpr(kind);
    return h.value();
}
constexpr std::uint64_t source_lane_after(std::string_view source) {
    TraceHasher h(TraceHasher::names_seed);
    h.add_string_constexpr(source);
    return h.value();
}

class TraceKind {
public:
    // From a string literal only: the text must outlive every record, and the state is computed
    // by the compiler.
    template <std::size_t N>
    consteval TraceKind(const char (&literal)[N]) : text_(literal, N - 1), lane_(kind_lane_after(text_)) {}  // NOLINT: implicit on purpose

    std::string_view text() const { return text_; }
    std::uint64_t lane() const { return lane_; }

private:
    std::string_view text_;
    std::uint64_t lane_;
};

class TraceSource {
public:
    explicit TraceSource(std::string name) : name_(std::move(name)), lane_(source_lane_after(name_)) {}

    const std::string& name() const { return name_; }
    std::uint64_t lane() const { return lane_; }

private:
    std::string name_;
    std::uint64_t lane_;
};

}  // namespace netsim
