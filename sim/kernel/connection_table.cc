#include "sim/kernel/connection_table.h"

#include "sim/core/check.h"

#include <cstring>
#include <utility>

namespace netsim::kernel {

namespace {

std::uint64_t mix(std::uint64_t h, std::uint64_t w) {
    h ^= w;
    h *= 0x9e3779b97f4a7c15ULL;
    return h ^ (h >> 32);
}

std::uint64_t address_words(const net::IpAddress& ip, std::uint64_t h) {
    std::uint64_t a, b;
    std::memcpy(&a, ip.bytes().data(), 8);
    std::memcpy(&b, ip.bytes().data() + 8, 8);
    return mix(mix(h, a), b ^ static_cast<std::uint64_t>(ip.family()));
}

}  // namespace

std::uint64_t ConnectionTable::hash(const FourTuple& t) {
    std::uint64_t h = mix(0, std::uint64_t{t.local_port} << 16 | t.remote_port);
    h = address_words(t.local_ip, h);
    h = address_words(t.remote_ip, h);
    return h;
}

std::size_t ConnectionTable::probe(const FourTuple& tuple) const {
    const std::size_t mask = slots_.size() - 1;
    std::size_t i = home(tuple);
    while (slots_[i].used && slots_[i].tuple != tuple) i = (i + 1) & mask;
    return i;
}

bool ConnectionTable::add(const FourTuple& tuple, SocketId id) {
    if ((size_ + 1) * 4 > slots_.size() * 3) grow();
    const std::size_t i = probe(tuple);
    if (slots_[i].used) return false;
    slots_[i] = Slot{tuple, id, true};
    ++size_;
    return true;
}

bool ConnectionTable::remove(const FourTuple& tuple) {
    if (size_ == 0) return false;
    const std::size_t mask = slots_.size() - 1;
    std::size_t hole = probe(tuple);
    if (!slots_[hole].used) return false;
    slots_[hole].used = false;
    --size_;
    // Backward-shift deletion: move later members of the probe run into the hole when their
    // home slot does not lie cyclically inside (hole, j].
    for (std::size_t j = (hole + 1) & mask; slots_[j].used; j = (j + 1) & mask) {
        const std::size_t h = home(slots_[j].tuple);
        const bool home_in_gap = hole <= j ? (hole < h && h <= j) : (hole < h || h <= j);
        if (home_in_gap) continue;
        slots_[hole] = std::exchange(slots_[j], Slot{});
        hole = j;
    }
    return true;
}

std::optional<SocketId> ConnectionTable::find(const FourTuple& tuple) const {
    if (size_ == 0) return std::nullopt;
    const Slot& s = slots_[probe(tuple)];
    if (!s.used) return std::nullopt;
    return s.id;
}

void ConnectionTable::grow() {
    std::vector<Slot> old = std::exchange(slots_, std::vector<Slot>(slots_.empty() ? 16 : slots_.size() * 2));
    size_ = 0;
    for (const Slot& s : old)
        if (s.used) {
            const bool added = add(s.tuple, s.id);
            NETSIM_CHECK(added);
        }
}

}  // namespace netsim::kernel
