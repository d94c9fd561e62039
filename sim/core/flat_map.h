// An ordered map over one sorted vector, for the small per-process tables of a run (a server's
// connections by descriptor, a noise process's sockets): lookups by binary search, iteration in
// key order exactly as std::map (so swapping one for the other cannot change behaviour), and no
// node allocation per element. Keys that arrive in increasing order (descriptors, ids) append
// at the end; any other insertion or an erasure shifts the later elements. References and
// iterators are invalidated by every insertion and erasure, unlike std::map's.
#pragma once

#include "sim/core/check.h"

#include <algorithm>
#include <cstddef>
#include <utility>
#include <vector>

namespace netsim {

template <typename Key, typename Value>
class FlatMap {
public:
    using value_type = std::pair<Key, Value>;
    using iterator = typename std::vector<value_type>::iterator;
    using const_iterator = typename std::vector<value_type>::const_iterator;

    iterator begin() { return items_.begin(); }
    iterator end() { return items_.end(); }
    const_iterator begin() const { return items_.begin(); }
    const_iterator end() const { return items_.end(); }
    std::size_t size() const { return items_.size(); }
    bool empty() const { return items_.empty(); }
    void clear() { items_.clear(); }

    iterator find(const Key& key) {
        auto it = lower_bound(key);
        return it != items_.end() && it->first == key ? it : items_.end();
    }
    const_iterator find(const Key& key) const { return const_cast<FlatMap*>(this)->find(key); }
    bool contains(const Key& key) const { return find(key) != end(); }
    Value& at(const Key& key) {
        auto it = find(key);
        NETSIM_CHECK_MSG(it != items_.end(), "FlatMap::at: no such key");
        return it->second;
    }

    // Inserts (key, value) unless the key is present; returns the element and whether it is new.
    std::pair<iterator, bool> emplace(const Key& key, Value value) {
        if (items_.capacity() == 0) items_.reserve(first_capacity);  // one allocation, not four
        if (items_.empty() || items_.back().first < key) {
            items_.emplace_back(key, std::move(value));
            return {items_.end() - 1, true};
        }
        auto it = lower_bound(key);
        if (it != items_.end() && it->first == key) return {it, false};
        return {items_.emplace(it, key, std::move(value)), true};
    }
    iterator erase(const_iterator at) { return items_.erase(at); }
    // Removes `key`; returns how many elements went (0 or 1).
    std::size_t erase(const Key& key) {
        auto it = find(key);
        if (it == items_.end()) return 0;
        items_.erase(it);
        return 1;
    }

private:
    static constexpr std::size_t first_capacity = 8;

    iterator lower_bound(const Key& key) {
        return std::lower_bound(items_.begin(), items_.end(), key,
                                [](const value_type& item, const Key& k) { return item.first < k; });
    }

    std::vector<value_type> items_;
};

}  // namespace netsim
