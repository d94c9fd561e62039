// A lookup table from keys to small integers (an index into the caller's storage, a socket id):
// open addressing with linear probing and backward-shift deletion, so a lookup costs one hash
// and a probe or two, and adding a key allocates nothing once the table has grown. It is never
// iterated, so its layout cannot reach behaviour; `Hash` must be a fixed function of the key's
// value (never of an address), so the layout is the same on every machine anyway.
//
// `Hash` is a type with `static std::uint64_t of(const Key&)`; its result is spread by a
// multiply, so it need not be mixed well (a port number will do).
#pragma once

#include "sim/core/check.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

namespace netsim {

template <typename Key, typename Hash>
class OpenIndex {
public:
    std::optional<std::uint32_t> find(const Key& key) const {
        if (size_ == 0) return std::nullopt;
        const Slot& s = slots_[probe(key)];
        if (!s.used) return std::nullopt;
        return s.value;
    }
    // Adds `key` with `value`; false (and no change) when the key is already present.
    bool insert(const Key& key, std::uint32_t value) {
        if ((size_ + 1) * 4 > slots_.size() * 3) grow();
        const std::size_t i = probe(key);
        if (slots_[i].used) return false;
        slots_[i] = Slot{key, value, true};
        ++size_;
        return true;
    }
    // Removes `key`; false when it was absent.
    bool erase(const Key& key) {
        if (size_ == 0) return false;
        const std::size_t mask = slots_.size() - 1;
        std::size_t hole = probe(key);
        if (!slots_[hole].used) return false;
        slots_[hole].used = false;
        --size_;
        // Backward-shift deletion: move later members of the probe run into the hole when their
        // home slot does not lie cyclically inside (hole, j].
        for (std::size_t j = (hole + 1) & mask; slots_[j].used; j = (j + 1) & mask) {
            const std::size_t h = home(slots_[j].key);
            const bool home_in_gap = hole <= j ? (hole < h && h <= j) : (hole < h || h <= j);
            if (home_in_gap) continue;
            slots_[hole] = std::exchange(slots_[j], Slot{});
            hole = j;
        }
        return true;
    }
    std::size_t size() const { return size_; }

private:
    struct Slot {
        Key key{};
        std::uint32_t value = 0;
        bool used = false;
    };

    std::size_t home(const Key& key) const {
        // Fibonacci hashing: the top bits of hash × 2^64/φ.
        return static_cast<std::size_t>((Hash::of(key) * 0x9e3779b97f4a7c15ULL) >> (64 - bits_));
    }
    // The slot holding `key`, or the empty slot ending its probe sequence.
    std::size_t probe(const Key& key) const {
        const std::size_t mask = slots_.size() - 1;
        std::size_t i = home(key);
        while (slots_[i].used && !(slots_[i].key == key)) i = (i + 1) & mask;
        return i;
    }
    void grow() {
        bits_ = slots_.empty() ? 4 : bits_ + 1;
        std::vector<Slot> old = std::exchange(slots_, std::vector<Slot>(std::size_t{1} << bits_));
        size_ = 0;
        for (const Slot& s : old)
            if (s.used) {
                const bool added = insert(s.key, s.value);
                NETSIM_CHECK(added);
            }
    }

    std::vector<Slot> slots_;  // 2^bits_ slots, at most 3/4 full
    unsigned bits_ = 0;
    std::size_t size_ = 0;
};

}  // namespace netsim
