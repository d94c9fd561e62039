// Errors of the simulated socket API, named and numbered after Linux's errno values, returned
// as values (never thrown, never stored in a global). `Result<T>` holds either a T or an Errno.
#pragma once

#include "sim/core/trace.h"

#include <fmt/format.h>

#include <string_view>
#include <utility>
#include <variant>

namespace netsim::kernel {

// Numbers are Linux x86-64 errno values (include/uapi/asm-generic/errno*.h).
enum class Errno : int {
    ok = 0,
    ebadf = 9,
    eagain = 11,
    einval = 22,
    epipe = 32,
    enotsock = 88,
    eopnotsupp = 95,
    enoprotoopt = 92,
    eafnosupport = 97,
    eaddrinuse = 98,
    eaddrnotavail = 99,
    enetunreach = 101,
    econnaborted = 103,
    econnreset = 104,
    eisconn = 106,
    enotconn = 107,
    etimedout = 110,
    econnrefused = 111,
    ehostunreach = 113,
    ealready = 114,
    einprogress = 115,
};

// "EADDRINUSE", ... ("ok" for Errno::ok). Inline, so that a record built for an unobserved
// trace, which hashes only the number, never looks the text up.
constexpr std::string_view errno_name(Errno e) {
    switch (e) {
        case Errno::ok: return "ok";
        case Errno::ebadf: return "EBADF";
        case Errno::eagain: return "EAGAIN";
        case Errno::einval: return "EINVAL";
        case Errno::epipe: return "EPIPE";
        case Errno::enotsock: return "ENOTSOCK";
        case Errno::eopnotsupp: return "EOPNOTSUPP";
        case Errno::enoprotoopt: return "ENOPROTOOPT";
        case Errno::eafnosupport: return "EAFNOSUPPORT";
        case Errno::eaddrinuse: return "EADDRINUSE";
        case Errno::eaddrnotavail: return "EADDRNOTAVAIL";
        case Errno::enetunreach: return "ENETUNREACH";
        case Errno::econnaborted: return "ECONNABORTED";
        case Errno::econnreset: return "ECONNRESET";
        case Errno::eisconn: return "EISCONN";
        case Errno::enotconn: return "ENOTCONN";
        case Errno::etimedout: return "ETIMEDOUT";
        case Errno::econnrefused: return "ECONNREFUSED";
        case Errno::ehostunreach: return "EHOSTUNREACH";
        case Errno::ealready: return "EALREADY";
        case Errno::einprogress: return "EINPROGRESS";
    }
    return "E?";
}
// The same as a trace label, hashed by its Linux number.
inline TraceLabel errno_label(Errno e) { return TraceLabel{static_cast<std::uint32_t>(e), errno_name(e)}; }

template <typename T>
class [[nodiscard]] Result {
public:
    Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
    Result(Errno error) : v_(error) {}         // NOLINT: implicit by design
    bool ok() const { return std::holds_alternative<T>(v_); }
    explicit operator bool() const { return ok(); }
    const T& value() const { return std::get<T>(v_); }
    Errno error() const { return ok() ? Errno::ok : std::get<Errno>(v_); }

private:
    std::variant<T, Errno> v_;
};

}  // namespace netsim::kernel

template <>
struct fmt::formatter<netsim::kernel::Errno> : fmt::formatter<std::string_view> {
    auto format(netsim::kernel::Errno e, format_context& ctx) const {
        return fmt::formatter<std::string_view>::format(netsim::kernel::errno_name(e), ctx);
    }
};
