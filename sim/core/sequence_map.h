// A map whose keys arrive in increasing order (ids handed out by a counter: a channel's RPCs),
// for a set of live entries that is mostly the newest ones: lookups, insertions and erasures are
// O(1) and allocate nothing once the window has grown. Entries sit in a ring of slots from the
// oldest live key to the newest; erasing the oldest moves the window on. Iteration is in key
// order, as over a std::map, so replacing one with the other cannot change behaviour.
//
// Memory is proportional to the span of live keys (newest - oldest + 1), not to their number: one
// long-lived entry among many short ones keeps every slot since it alive.
#pragma once

#include "sim/core/check.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

namespace netsim {

template <typename Value>
class SequenceMap {
public:
    using Key = std::uint64_t;

    std::size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }

    // Inserts `key`, which must be greater than every key inserted before.
    Value& insert(Key key, Value value) {
        NETSIM_CHECK_MSG(!any_key_ || key > last_key_, "SequenceMap keys must increase");
        if (size_ == 0) {
            // The window restarts at the new key.
            first_ = key;
            span_ = 0;
        }
        const std::uint64_t offset = key - first_;
        NETSIM_CHECK_MSG(offset < (std::uint64_t{1} << 31), "SequenceMap window too wide");
        while (offset >= slots_.size()) grow();
        for (std::uint64_t i = span_; i < offset; ++i) at_offset(i).reset();  // keys never inserted
        span_ = static_cast<std::size_t>(offset) + 1;
        std::optional<Value>& slot = at_offset(offset);
        slot.emplace(std::move(value));
        ++size_;
        last_key_ = key;
        any_key_ = true;
        return *slot;
    }
    Value* find(Key key) {
        if (key < first_ || key - first_ >= span_) return nullptr;
        std::optional<Value>& slot = at_offset(key - first_);
        return slot ? &*slot : nullptr;
    }
    const Value* find(Key key) const { return const_cast<SequenceMap*>(this)->find(key); }
    bool contains(Key key) const { return find(key) != nullptr; }
    // Removes `key`; returns whether it was there.
    bool erase(Key key) {
        Value* v = find(key);
        if (v == nullptr) return false;
        at_offset(key - first_).reset();
        --size_;
        // Move the window past erased keys at its front (and close it when empty).
        while (span_ > 0 && !at_offset(0)) {
            head_ = (head_ + 1) & (slots_.size() - 1);
            ++first_;
            --span_;
        }
        return true;
    }
    // The live keys, oldest first.
    std::vector<Key> keys() const {
        std::vector<Key> out;
        out.reserve(size_);
        for_each([&](Key k, const Value&) { out.push_back(k); });
        return out;
    }
    // Calls f(key, value) for every live entry, oldest first; f must not insert or erase.
    template <typename F>
    void for_each(F&& f) const {
        for (std::size_t i = 0; i < span_; ++i) {
            const std::optional<Value>& slot = const_cast<SequenceMap*>(this)->at_offset(i);
            if (slot) f(first_ + i, *slot);
        }
    }

private:
    std::optional<Value>& at_offset(std::uint64_t offset) { return slots_[(head_ + offset) & (slots_.size() - 1)]; }
    // Doubles the ring (a power of two), keeping the window's order from its start.
    void grow() {
        std::vector<std::optional<Value>> bigger(slots_.empty() ? 8 : slots_.size() * 2);
        for (std::size_t i = 0; i < span_; ++i) bigger[i] = std::move(at_offset(i));
        slots_ = std::move(bigger);
        head_ = 0;
    }

    std::vector<std::optional<Value>> slots_;
    std::size_t head_ = 0;  // slot of key first_
    Key first_ = 0;         // the oldest key the window covers
    std::size_t span_ = 0;  // keys first_ .. first_ + span_ - 1 are in the window
    std::size_t size_ = 0;  // live entries
    Key last_key_ = 0;
    bool any_key_ = false;
};

}  // namespace netsim
