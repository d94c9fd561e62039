#include "sim/kernel/port_index.h"

#include "sim/core/check.h"

#include <utility>

namespace netsim::kernel {

void PortIndex::insert(net::Port port, std::uint32_t index) {
    if ((size_ + 1) * 4 > slots_.size() * 3) grow();
    const std::size_t i = probe(port);
    NETSIM_CHECK_MSG(!slots_[i].used, "port {} is already indexed", port);
    slots_[i] = Slot{port, true, index};
    ++size_;
}

void PortIndex::erase(net::Port port) {
    const std::size_t mask = slots_.size() - 1;
    std::size_t hole = size_ == 0 ? 0 : probe(port);
    NETSIM_CHECK_MSG(size_ > 0 && slots_[hole].used, "port {} is not indexed", port);
    slots_[hole].used = false;
    --size_;
    // Backward-shift deletion: move later members of the probe run into the hole when their
    // home slot does not lie cyclically inside (hole, j].
    for (std::size_t j = (hole + 1) & mask; slots_[j].used; j = (j + 1) & mask) {
        const std::size_t h = home(slots_[j].port);
        const bool home_in_gap = hole <= j ? (hole < h && h <= j) : (hole < h || h <= j);
        if (home_in_gap) continue;
        slots_[hole] = std::exchange(slots_[j], Slot{});
        hole = j;
    }
}

void PortIndex::grow() {
    bits_ = slots_.empty() ? 5 : bits_ + 1;
    std::vector<Slot> old = std::exchange(slots_, std::vector<Slot>(std::size_t{1} << bits_));
    size_ = 0;
    for (const Slot& s : old)
        if (s.used) insert(s.port, s.index);
}

}  // namespace netsim::kernel
