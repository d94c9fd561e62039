#include "sim/kernel/errno.h"

namespace netsim::kernel {

std::string_view errno_name(Errno e) {
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

}  // namespace netsim::kernel
