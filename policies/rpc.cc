// Status names, as gRPC spells its codes.
#include "policies/rpc.h"

namespace netsim::policies {

std::string_view status_name(RpcStatus status) {
    switch (status) {
        case RpcStatus::ok: return "OK";
        case RpcStatus::cancelled: return "CANCELLED";
        case RpcStatus::deadline_exceeded: return "DEADLINE_EXCEEDED";
        case RpcStatus::unavailable: return "UNAVAILABLE";
    }
    return "?";
}

}  // namespace netsim::policies
