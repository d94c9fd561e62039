// The pending-event set of one simulation: a 4-ary min-heap of small keys
// (time, order, slot, generation) with the handlers kept out of the heap in a slab of
// fixed-size callables, so scheduling allocates nothing once the slab and heap have grown.
//
// Ordering guarantee: events pop by increasing time; events at the same time pop by increasing
// `order`. The caller chooses `order` (the Simulation passes an insertion sequence number, or a
// seeded random value when tie-shuffling is on); ties in (time, order) fall back to the slot's
// insertion sequence, so the order is always total and never depends on addresses.
// Cancelling is O(1): the slot's generation is bumped and the stale key is dropped when it
// reaches the top of the heap.
#pragma once

#include "sim/core/inplace_function.h"
#include "sim/core/time.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace netsim {

using EventHandler = InplaceFunction<void(), 48>;

// Identifies one scheduled event; stays valid (and cancellable) until the event runs or is
// cancelled. A default-constructed EventId names no event.
struct EventId {
    std::uint32_t slot = 0;
    std::uint32_t generation = 0;
    bool valid() const { return generation != 0; }
    friend bool operator==(const EventId&, const EventId&) = default;
};

class EventQueue {
public:
    EventId push(Instant at, std::uint64_t order, EventHandler handler);
    // True if the event was pending and is now cancelled; false if it already ran or was cancelled.
    bool cancel(EventId id);
    bool is_pending(EventId id) const;

    bool empty() const { return live_ == 0; }
    std::size_t size() const { return live_; }
    // Time of the earliest pending event; the queue must not be empty.
    Instant next_time();
    // Removes the earliest pending event and returns its time and handler.
    struct Popped {
        Instant at;
        EventHandler handler;
    };
    Popped pop();

private:
    struct Key {
        std::int64_t time_ns;
        std::uint64_t order;
        std::uint32_t slot;
        std::uint32_t generation;
    };
    struct Slot {
        EventHandler handler;
        std::uint32_t generation = 1;
        std::uint32_t next_free = 0;
    };

    static bool before(const Key& a, const Key& b) {
        if (a.time_ns != b.time_ns) return a.time_ns < b.time_ns;
        if (a.order != b.order) return a.order < b.order;
        return a.generation != b.generation ? a.generation < b.generation : a.slot < b.slot;
    }
    bool is_stale(const Key& k) const { return slots_[k.slot].generation != k.generation; }
    void drop_stale_top();
    void sift_up(std::size_t i);
    void sift_down(std::size_t i);
    void remove_top();
    void release_slot(std::uint32_t slot);
    void compact_if_mostly_stale();

    std::vector<Key> heap_;
    std::vector<Slot> slots_;
    std::uint32_t free_head_ = UINT32_MAX;
    std::size_t live_ = 0;
};

}  // namespace netsim
