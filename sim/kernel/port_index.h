// Which ports of a host are in use, and the slot of each in the port table's bucket store: an
// open-addressing map from port number to a small index, with linear probing and backward-
// shift deletion. A host that uses a few dozen ports costs a few hundred bytes, a lookup one
// multiply and a probe or two, and dropping the map frees one block. It is never iterated, so
// its layout cannot reach behaviour.
#pragma once

#include "sim/net/ip_address.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace netsim::kernel {

class PortIndex {
public:
    // The index stored for `port`, if any.
    std::optional<std::uint32_t> find(net::Port port) const {
        if (size_ == 0) return std::nullopt;
        const Slot& s = slots_[probe(port)];
        if (!s.used) return std::nullopt;
        return s.index;
    }
    // Stores `index` for `port`, which must be absent.
    void insert(net::Port port, std::uint32_t index);
    // Forgets `port`, which must be present.
    void erase(net::Port port);
    std::size_t size() const { return size_; }

private:
    struct Slot {
        net::Port port = 0;
        bool used = false;
        std::uint32_t index = 0;
    };

    std::size_t home(net::Port port) const {
        // Fibonacci hashing: the top bits of port × 2^32/φ spread neighbouring ports apart.
        return static_cast<std::size_t>((std::uint32_t{port} * 0x9e3779b1U) >> (32 - bits_));
    }
    std::size_t probe(net::Port port) const {
        const std::size_t mask = slots_.size() - 1;
        std::size_t i = home(port);
        while (slots_[i].used && slots_[i].port != port) i = (i + 1) & mask;
        return i;
    }
    void grow();

    std::vector<Slot> slots_;  // 2^bits_ slots, at most 3/4 full
    unsigned bits_ = 0;
    std::size_t size_ = 0;
};

}  // namespace netsim::kernel
