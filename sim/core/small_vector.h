// A vector that keeps up to N elements inside itself and moves to the heap only beyond that:
// for the many short lists of a run (a port's binding classes and listeners, a descriptor's
// watchers, a socket's queues) that hold one or two elements and are built and dropped
// thousands of times a second. Elements stay in insertion order; growth past N moves them to a
// heap block of twice the capacity. Works for move-only types. Iterators and references are
// invalidated by any insertion or erasure, as with std::vector.
#pragma once

#include "sim/core/check.h"

#include <algorithm>
#include <cstddef>
#include <memory>
#include <new>
#include <type_traits>
#include <utility>

namespace netsim {

template <typename T, std::size_t N>
class SmallVector {
    static_assert(N > 0, "use std::vector for no inline room");

public:
    using value_type = T;
    using iterator = T*;
    using const_iterator = const T*;

    SmallVector() = default;
    SmallVector(const SmallVector& other) { append_copies(other); }
    SmallVector(SmallVector&& other) noexcept(std::is_nothrow_move_constructible_v<T>) { take(std::move(other)); }
    SmallVector& operator=(const SmallVector& other) {
        if (this != &other) {
            clear();
            append_copies(other);
        }
        return *this;
    }
    SmallVector& operator=(SmallVector&& other) noexcept(std::is_nothrow_move_constructible_v<T>) {
        if (this != &other) {
            clear();
            release_heap();
            take(std::move(other));
        }
        return *this;
    }
    ~SmallVector() {
        clear();
        release_heap();
    }

    std::size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }
    std::size_t capacity() const { return capacity_; }

    T* begin() { return data_; }
    T* end() { return data_ + size_; }
    const T* begin() const { return data_; }
    const T* end() const { return data_ + size_; }
    T& operator[](std::size_t i) {
        NETSIM_CHECK(i < size_);
        return data_[i];
    }
    const T& operator[](std::size_t i) const {
        NETSIM_CHECK(i < size_);
        return data_[i];
    }
    T& front() { return (*this)[0]; }
    const T& front() const { return (*this)[0]; }
    T& back() { return (*this)[size_ - 1]; }
    const T& back() const { return (*this)[size_ - 1]; }

    void push_back(const T& value) { emplace_back(value); }
    void push_back(T&& value) { emplace_back(std::move(value)); }
    template <typename... Args>
    T& emplace_back(Args&&... args) {
        if (size_ == capacity_) {
            // Build the element before moving the old ones: `args` may refer to one of them.
            T value(std::forward<Args>(args)...);
            grow(2 * capacity_);
            return *std::construct_at(data_ + size_++, std::move(value));
        }
        return *std::construct_at(data_ + size_++, std::forward<Args>(args)...);
    }
    void pop_back() {
        NETSIM_CHECK(size_ > 0);
        std::destroy_at(data_ + --size_);
    }
    // Removes the elements in [first, last), keeping the order of the rest.
    T* erase(T* first, T* last) {
        NETSIM_CHECK(begin() <= first && first <= last && last <= end());
        T* new_end = std::move(last, end(), first);
        std::destroy(new_end, end());
        size_ = static_cast<std::size_t>(new_end - data_);
        return first;
    }
    T* erase(T* at) { return erase(at, at + 1); }
    void clear() {
        std::destroy(begin(), end());
        size_ = 0;
    }

private:
    T* inline_data() { return std::launder(reinterpret_cast<T*>(inline_)); }
    bool on_heap() const { return capacity_ > N; }

    void grow(std::size_t capacity) {
        T* block = static_cast<T*>(::operator new(capacity * sizeof(T), std::align_val_t{alignof(T)}));
        std::uninitialized_move(begin(), end(), block);
        std::destroy(begin(), end());
        release_heap();
        data_ = block;
        capacity_ = capacity;
    }
    void release_heap() {
        if (!on_heap()) return;
        ::operator delete(data_, std::align_val_t{alignof(T)});
        data_ = inline_data();
        capacity_ = N;
    }
    // Takes `other`'s elements (its heap block when it has one), leaving it empty; this one is
    // empty and inline on entry.
    void take(SmallVector&& other) {
        if (other.on_heap()) {
            data_ = std::exchange(other.data_, other.inline_data());
            capacity_ = std::exchange(other.capacity_, N);
            size_ = std::exchange(other.size_, 0);
            return;
        }
        std::uninitialized_move(other.begin(), other.end(), data_);
        size_ = other.size_;
        other.clear();
    }
    void append_copies(const SmallVector& other) {
        for (const T& v : other) emplace_back(v);
    }

    alignas(T) unsigned char inline_[N * sizeof(T)];
    T* data_ = inline_data();
    std::size_t size_ = 0;
    std::size_t capacity_ = N;
};

// Removes every element for which pred holds; returns how many went.
template <typename T, std::size_t N, typename Pred>
std::size_t erase_if(SmallVector<T, N>& v, Pred pred) {
    T* new_end = std::remove_if(v.begin(), v.end(), pred);
    const auto removed = static_cast<std::size_t>(v.end() - new_end);
    v.erase(new_end, v.end());
    return removed;
}

// Removes every element equal to value; returns how many went.
template <typename T, std::size_t N, typename U>
std::size_t erase(SmallVector<T, N>& v, const U& value) {
    return erase_if(v, [&](const T& x) { return x == value; });
}

}  // namespace netsim
