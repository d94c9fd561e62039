// Many deadlines of one owner (an RPC's, per call) behind one pending simulation event. The
// owner adds (instant, id) pairs and never removes one: when the event fires, ids whose owner
// says they are no longer pending are skipped, and `expire` is called, in deadline order (ties
// in the order they were added), for every pending id whose deadline has come. The event is
// then armed for the earliest deadline still pending. Deadlines added in increasing order (the
// same timeout on every call) cost O(1) each, in a FIFO; others go to a heap. A call that
// finishes long before its deadline costs its entry and no event: the event fires about once
// per timeout, however many calls came and went, instead of once per call; the entries of
// ended ids at the FIFO's front leave as new ones are added.
#pragma once

#include "sim/core/fifo.h"
#include "sim/core/simulation.h"

#include <cstdint>
#include <functional>
#include <vector>

namespace netsim {

class DeadlineQueue {
public:
    using IsPending = std::function<bool(std::uint32_t id)>;
    using Expire = std::function<void(std::uint32_t id)>;

    DeadlineQueue(Simulation& sim, IsPending is_pending, Expire expire);
    DeadlineQueue(const DeadlineQueue&) = delete;
    DeadlineQueue& operator=(const DeadlineQueue&) = delete;
    ~DeadlineQueue() { sim_.cancel(event_); }

    void add(Instant at, std::uint32_t id);

private:
    struct Entry {
        Instant at;
        std::uint32_t id;
        std::uint64_t order;  // when it was added: ties by addition order
    };
    static bool later(const Entry& a, const Entry& b) {
        if (a.at != b.at) return a.at > b.at;
        return a.order > b.order;
    }
    // True when the earliest entry is the FIFO's front (which must then be non-empty).
    bool fifo_first() const {
        return !in_order_.empty() && (heap_.empty() || !later(in_order_.front(), heap_.front()));
    }
    // The earliest entry whose id is still pending (dropping the others), if any.
    const Entry* earliest_pending();
    void pop_earliest();
    void arm();
    void fire();

    Simulation& sim_;
    IsPending is_pending_;
    Expire expire_;
    Fifo<Entry, 1> in_order_;  // entries added in increasing (at, order)
    std::vector<Entry> heap_;  // the others, a min-heap by (at, order)
    std::uint64_t added_ = 0;
    EventId event_;
    Instant armed_for_ = Instant::max();
};

}  // namespace netsim
