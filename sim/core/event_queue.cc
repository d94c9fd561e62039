#include "sim/core/event_queue.h"

#include "sim/core/check.h"

#include <algorithm>

namespace netsim {

namespace {
constexpr std::size_t arity = 4;
}

EventId EventQueue::push(Instant at, std::uint64_t order, EventHandler handler) {
    std::uint32_t slot;
    if (free_head_ != UINT32_MAX) {
        slot = free_head_;
        free_head_ = slots_[slot].next_free;
    } else {
        NETSIM_CHECK(slots_.size() < UINT32_MAX);
        slot = static_cast<std::uint32_t>(slots_.size());
        slots_.emplace_back();
    }
    Slot& s = slots_[slot];
    s.handler = std::move(handler);
    heap_.push_back(Key{at.count_ns(), order, slot, s.generation});
    sift_up(heap_.size() - 1);
    ++live_;
    return EventId{slot, s.generation};
}

bool EventQueue::is_pending(EventId id) const {
    return id.valid() && id.slot < slots_.size() && slots_[id.slot].generation == id.generation;
}

bool EventQueue::cancel(EventId id) {
    if (!is_pending(id)) return false;
    slots_[id.slot].handler.reset();
    release_slot(id.slot);
    --live_;
    compact_if_mostly_stale();
    return true;
}

Instant EventQueue::next_time() {
    NETSIM_CHECK(live_ > 0);
    drop_stale_top();
    return Instant::at(Duration::nanoseconds(heap_.front().time_ns));
}

EventQueue::Popped EventQueue::pop() {
    NETSIM_CHECK(live_ > 0);
    drop_stale_top();
    const Key top = heap_.front();
    remove_top();
    Popped popped{Instant::at(Duration::nanoseconds(top.time_ns)), std::move(slots_[top.slot].handler)};
    release_slot(top.slot);
    --live_;
    return popped;
}

void EventQueue::release_slot(std::uint32_t slot) {
    Slot& s = slots_[slot];
    // Generation 0 is reserved for "no event"; skip it on wrap-around.
    s.generation = s.generation == UINT32_MAX ? 1 : s.generation + 1;
    s.next_free = free_head_;
    free_head_ = slot;
}

void EventQueue::drop_stale_top() {
    while (!heap_.empty() && is_stale(heap_.front())) remove_top();
}

void EventQueue::remove_top() {
    heap_.front() = heap_.back();
    heap_.pop_back();
    if (!heap_.empty()) sift_down(0);
}

void EventQueue::compact_if_mostly_stale() {
    // Cancelled keys stay in the heap until they surface; rebuild when they dominate so that a
    // workload that cancels most of its timers keeps a heap proportional to its live events.
    if (heap_.size() < 1024 || heap_.size() < 4 * live_) return;
    std::erase_if(heap_, [this](const Key& k) { return is_stale(k); });
    for (std::size_t i = heap_.size(); i-- > 0;) sift_down(i);
}

void EventQueue::sift_up(std::size_t i) {
    const Key moving = heap_[i];
    while (i > 0) {
        const std::size_t parent = (i - 1) / arity;
        if (!before(moving, heap_[parent])) break;
        heap_[i] = heap_[parent];
        i = parent;
    }
    heap_[i] = moving;
}

void EventQueue::sift_down(std::size_t i) {
    const std::size_t n = heap_.size();
    const Key moving = heap_[i];
    for (;;) {
        const std::size_t first_child = i * arity + 1;
        if (first_child >= n) break;
        const std::size_t last_child = std::min(first_child + arity, n);
        std::size_t best = first_child;
        for (std::size_t c = first_child + 1; c < last_child; ++c)
            if (before(heap_[c], heap_[best])) best = c;
        if (!before(heap_[best], moving)) break;
        heap_[i] = heap_[best];
        i = best;
    }
    heap_[i] = moving;
}

}  // namespace netsim
