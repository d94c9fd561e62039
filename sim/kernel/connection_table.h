// The host's established and half-open connections by 4-tuple (Linux's ehash): an open-
// addressing hash table with linear probing and backward-shift deletion, so a lookup costs
// one hash and a probe or two, and adding a connection allocates nothing once the table has
// grown. It is never iterated, so its layout cannot reach behaviour; the hash is a fixed
// function of the tuple's bytes, the same on every machine.
#pragma once

#include "sim/kernel/socket.h"
#include "sim/net/ip_address.h"

#include <compare>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

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
    bool add(const FourTuple& tuple, SocketId id);
    // Removes `tuple`; false when it was absent.
    bool remove(const FourTuple& tuple);
    std::optional<SocketId> find(const FourTuple& tuple) const;
    std::size_t size() const { return size_; }

private:
    struct Slot {
        FourTuple tuple;
        SocketId id;
        bool used = false;
    };

    static std::uint64_t hash(const FourTuple& tuple);
    std::size_t home(const FourTuple& tuple) const { return static_cast<std::size_t>(hash(tuple)) & (slots_.size() - 1); }
    // The slot holding `tuple`, or the empty slot ending its probe sequence.
    std::size_t probe(const FourTuple& tuple) const;
    void grow();

    std::vector<Slot> slots_;  // a power of two in size, at most 3/4 full
    std::size_t size_ = 0;
};

}  // namespace netsim::kernel
