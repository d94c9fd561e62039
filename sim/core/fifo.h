// A first-in first-out queue over one SmallVector: up to `Inline` elements live in the queue
// itself, so a queue that never holds more allocates nothing (a std::deque allocates a
// 512-byte block when it is built, and the kernel builds two per socket); amortised O(1) push
// and pop, elements in insertion order. Popped slots are reclaimed when the queue empties or
// when they make up half the storage.
#pragma once

#include "sim/core/check.h"
#include "sim/core/small_vector.h"

#include <cstddef>
#include <utility>
#include <vector>

namespace netsim {

template <typename T, std::size_t Inline = 2>
class Fifo {
public:
    bool empty() const { return head_ == items_.size(); }
    std::size_t size() const { return items_.size() - head_; }

    T& front() {
        NETSIM_CHECK(!empty());
        return items_[head_];
    }
    const T& front() const {
        NETSIM_CHECK(!empty());
        return items_[head_];
    }

    // The newest element.
    const T& back() const {
        NETSIM_CHECK(!empty());
        return items_.back();
    }

    void push_back(T value) { items_.push_back(std::move(value)); }
    template <typename... Args>
    void emplace_back(Args&&... args) {
        items_.emplace_back(std::forward<Args>(args)...);
    }

    void pop_front() {
        NETSIM_CHECK(!empty());
        ++head_;
        if (head_ == items_.size()) {
            clear();
        } else if (head_ * 2 >= items_.size() && head_ >= 16) {
            items_.erase(items_.begin(), items_.begin() + static_cast<std::ptrdiff_t>(head_));
            head_ = 0;
        }
    }

    void clear() {
        items_.clear();
        head_ = 0;
    }

    // The queued elements, oldest first.
    auto begin() const { return items_.begin() + static_cast<std::ptrdiff_t>(head_); }
    auto end() const { return items_.end(); }

    // Moves every element out, oldest first, leaving the queue empty.
    std::vector<T> take_all() {
        std::vector<T> all;
        all.reserve(size());
        for (std::size_t i = head_; i < items_.size(); ++i) all.push_back(std::move(items_[i]));
        clear();
        return all;
    }

private:
    SmallVector<T, Inline> items_;
    std::size_t head_ = 0;
};

}  // namespace netsim
