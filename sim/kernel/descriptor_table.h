// A process-visible descriptor table: entries keyed by descriptor number, looked up in O(1)
// without a node allocation per descriptor. The kernel hands out descriptor numbers in
// increasing order from `first` and never reuses one, so the table is a vector of pointers
// (null once closed) into an ObjectPool: growing the table moves 8 bytes per descriptor, and a
// closed descriptor's entry is reused by the next one. Iteration visits open descriptors in
// increasing order.
#pragma once

#include "sim/core/check.h"
#include "sim/core/object_pool.h"

#include <cstddef>
#include <vector>

namespace netsim::kernel {

template <typename Entry>
class DescriptorTable {
public:
    explicit DescriptorTable(int first) : first_(first) {}
    DescriptorTable(const DescriptorTable&) = delete;
    DescriptorTable& operator=(const DescriptorTable&) = delete;
    ~DescriptorTable() {
        for (Entry* e : slots_)
            if (e != nullptr) entries_.destroy(*e);
    }

    Entry* find(int fd) {
        const std::size_t i = index(fd);
        return i < slots_.size() ? slots_[i] : nullptr;
    }
    const Entry* find(int fd) const { return const_cast<DescriptorTable*>(this)->find(fd); }

    // Opens `fd`, which must be the next number after every descriptor handed out so far.
    Entry& open(int fd, Entry entry) {
        NETSIM_CHECK_OP(index(fd), ==, slots_.size());
        Entry& e = entries_.create(std::move(entry));
        slots_.push_back(&e);
        return e;
    }

    void close(int fd) {
        Entry* e = find(fd);
        NETSIM_CHECK(e != nullptr);
        slots_[index(fd)] = nullptr;
        entries_.destroy(*e);
    }

    // Calls f(fd, entry) for every open descriptor, lowest first.
    template <typename F>
    void for_each(F&& f) const {
        for (std::size_t i = 0; i < slots_.size(); ++i)
            if (slots_[i] != nullptr) f(first_ + static_cast<int>(i), *slots_[i]);
    }

private:
    std::size_t index(int fd) const {
        return fd < first_ ? static_cast<std::size_t>(-1) : static_cast<std::size_t>(fd - first_);
    }

    int first_;
    ObjectPool<Entry> entries_;
    std::vector<Entry*> slots_;
};

}  // namespace netsim::kernel
