// Invariant checks that stay on in every build type (release included).
// A failed check prints the expression, both sides of a comparison, and the source location,
// then aborts: a broken invariant is a bug in netsim, never an error a caller can handle.
#pragma once

#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>

namespace netsim::detail {

[[noreturn]] inline void check_failed(const char* file, int line, const std::string& message) {
    std::fprintf(stderr, "%s:%d: netsim invariant violated: %s\n", file, line, message.c_str());
    std::fflush(stderr);
    std::abort();
}

}  // namespace netsim::detail

#define NETSIM_CHECK(cond)                                                        \
    do {                                                                          \
        if (!(cond)) ::netsim::detail::check_failed(__FILE__, __LINE__, #cond);   \
    } while (0)

#define NETSIM_CHECK_MSG(cond, ...)                                               \
    do {                                                                          \
        if (!(cond))                                                              \
            ::netsim::detail::check_failed(                                       \
                __FILE__, __LINE__,                                               \
                std::string(#cond) + ": " + fmt::format(__VA_ARGS__));            \
    } while (0)

// Compares with `op` and prints both operands on failure; operands need a fmt formatter.
#define NETSIM_CHECK_OP(a, op, b)                                                 \
    do {                                                                          \
        const auto& netsim_lhs_ = (a);                                            \
        const auto& netsim_rhs_ = (b);                                            \
        if (!(netsim_lhs_ op netsim_rhs_))                                        \
            ::netsim::detail::check_failed(                                       \
                __FILE__, __LINE__,                                               \
                fmt::format("{} {} {} ({} vs {})", #a, #op, #b, netsim_lhs_,      \
                            netsim_rhs_));                                        \
    } while (0)
