// The host's established and half-open connections by 4-tuple (Linux's ehash), in an OpenIndex:
// a lookup costs one hash and a probe or two, and adding a connection allocates nothing once the
// table has grown. It is never iterated, so its layout cannot reach behaviour; the hash is a
// fixed function of the tuple's bytes, the same on every machine.
#pragma once

#include "sim/core/open_index.h"
#include "sim/kernel/socket.h"
#include "sim/net/ip_address.h"

#include <compare>
#include <cstddef>
#include <cstdint>
#include <optional>

namespace netsim::kernel {

struct FourTuple {
    net::IpAddress local_ip;
    net::Port local_port = 0;
    net::IpAddress remote_ip;
    net::Port remote_port = 0;
    auto operator<=>(const FourTuple&) const = default;
};

class ConnectionTable {
public:
    // Adds `tuple`; false (and no change) when it is already present.
    bool add(const FourTuple& tuple, SocketId id) { return index_.insert(tuple, id.value); }
    // Removes `tuple`; false when it was absent.
    bool remove(const FourTuple& tuple) { return index_.erase(tuple); }
    std::optional<SocketId> find(const FourTuple& tuple) const {
        const std::optional<std::uint32_t> id = index_.find(tuple);
        if (!id) return std::nullopt;
        return SocketId{*id};
    }
    std::size_t size() const { return index_.size(); }

private:
    struct TupleHash {
        static std::uint64_t of(const FourTuple& tuple);
    };
    OpenIndex<FourTuple, TupleHash> index_;
};

}  // namespace netsim::kernel
