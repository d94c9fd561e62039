#include "sim/core/deadline_queue.h"

#include <algorithm>

namespace netsim {

DeadlineQueue::DeadlineQueue(Simulation& sim, IsPending is_pending, Expire expire)
    : sim_(sim), is_pending_(std::move(is_pending)), expire_(std::move(expire)) {}

void DeadlineQueue::add(Instant at, std::uint32_t id) {
    // Entries of ids that ended leave from the front as new ones come, so that calls that end
    // in the order they started keep the FIFO as short as the calls in flight.
    while (!in_order_.empty() && !is_pending_(in_order_.front().id)) in_order_.pop_front();
    const Entry e{at, id, added_++};
    if (in_order_.empty() || !later(in_order_.back(), e)) {
        in_order_.push_back(e);
    } else {
        heap_.push_back(e);
        std::push_heap(heap_.begin(), heap_.end(), later);
    }
    if (at < armed_for_) arm();
}

const DeadlineQueue::Entry* DeadlineQueue::earliest_pending() {
    for (;;) {
        const bool fifo = fifo_first();
        if (!fifo && heap_.empty()) return nullptr;
        const Entry& e = fifo ? in_order_.front() : heap_.front();
        if (is_pending_(e.id)) return &e;
        pop_earliest();
    }
}

void DeadlineQueue::pop_earliest() {
    if (fifo_first()) {
        in_order_.pop_front();
    } else {
        std::pop_heap(heap_.begin(), heap_.end(), later);
        heap_.pop_back();
    }
}

void DeadlineQueue::arm() {
    sim_.cancel(event_);
    event_ = EventId{};
    armed_for_ = Instant::max();
    const Entry* next = earliest_pending();
    if (next == nullptr) return;
    armed_for_ = next->at;
    event_ = sim_.schedule_at(std::max(next->at, sim_.now()), [this] { fire(); });
}

void DeadlineQueue::fire() {
    event_ = EventId{};
    armed_for_ = Instant::max();
    while (const Entry* next = earliest_pending()) {
        if (next->at > sim_.now()) break;
        const std::uint32_t id = next->id;
        pop_earliest();
        expire_(id);  // may add deadlines (and arm): re-read the front every time
    }
    if (armed_for_ == Instant::max()) arm();
}

}  // namespace netsim
