// The pending-event set of one simulation: a 4-ary min-heap of small keys (time, order, slot)
// with the handlers kept out of the heap in chunked slot storage, so scheduling allocates nothing
// once the storage and heap have grown.
//
// Ordering guarantee: events pop by increasing time; events at the same time pop by increasing
// `order`. The caller chooses `order` (the Simulation passes an insertion sequence number, or a
// seeded random value when tie-shuffling is on); ties in (time, order) fall back to the slot
// index, which the queue hands out deterministically, so the order is always total and never
// depends on addresses.
//
// Events pushed for the instant of the event that ran last, in increasing `order` (what the
// Simulation does for zero-delay events: socket notifications, loopback deliveries), skip the
// heap: they queue in a first-in first-out run of keys, and the next event is the earlier of
// that run's front and the heap's top, so the order is exactly the heap's would be. About
// half of a fuzzed run's events take this path at O(1) instead of O(log n).
//
// Events due a window (`far_window_ns`, about a quarter second) or more beyond the instant the
// heap was last refilled for wait unsorted in a far tier: timeouts that are nearly always
// cancelled (retransmission, TIME_WAIT, RPC deadlines, connect timeouts) never enter the heap,
// so it stays small and free of their cancelled keys. Every far key is later than every heap
// key; when the heap and the now-run are empty, the far keys of the next window move into the
// heap. The tier changes no order: it only delays sorting keys that cannot be next.
//
// Cancelling is amortised O(1): the handler is destroyed at once and the slot is marked cancelled;
// its key stays where it is and is dropped (and the slot freed) when it reaches the top or is
// moved out of the far tier, or when cancelled keys dominate their tier and it is rebuilt. While
// no cancelled key is in the heap or the now-run, pops skip that check entirely.
//
// push() moves a handler into its slot; emplace() builds the callable there (what the Simulation
// uses for lambdas), so no temporary is copied. run_next() (what the Simulation uses) invokes the
// handler where it is stored; pop() moves it
// out instead. Slots live in fixed-size chunks that never move, so a running handler may schedule
// (growing the storage) and cancel events; its own id is no longer pending by then, so cancelling
// it is a harmless no-op, and its slot is only reused after it returns.
#pragma once

#include "sim/core/check.h"
#include "sim/core/inplace_function.h"
#include "sim/core/time.h"

#include <cstdint>
#include <memory>
#include <vector>

namespace netsim {

using EventHandler = InplaceFunction<void(), 48>;

// Identifies one scheduled event; stays valid (and cancellable) until the event starts running or
// is cancelled. A default-constructed EventId names no event.
struct EventId {
    std::uint32_t slot = 0;
    std::uint32_t generation = 0;
    bool valid() const { return generation != 0; }
    friend bool operator==(const EventId&, const EventId&) = default;
};

class EventQueue {
public:
    // Room for the keys of a small run up front: a fuzzer builds a queue per run, and growing
    // the vectors one doubling at a time cost a dozen allocations per run.
    EventQueue() {
        heap_.reserve(256);
        now_run_.reserve(64);
        far_.reserve(64);
    }
    EventId push(Instant at, std::uint64_t order, EventHandler&& handler) {
        const Reserved r = reserve(at, order);
        r.handler = std::move(handler);
        return r.id;
    }
    // The same with the handler built in its slot from `f`; the construction must not throw.
    template <typename F>
    EventId emplace(Instant at, std::uint64_t order, F&& f) {
        const Reserved r = reserve(at, order);
        r.handler.emplace(std::forward<F>(f));
        return r.id;
    }
    // True if the event was pending and is now cancelled; false if it already ran (or is running)
    // or was cancelled.
    bool cancel(EventId id);
    bool is_pending(EventId id) const;

    bool empty() const { return live_ == 0; }
    std::size_t size() const { return live_; }
    // Time of the earliest pending event; the queue must not be empty.
    Instant next_time() {
        NETSIM_CHECK(live_ > 0);
        if (cancelled_keys_ != 0) drop_cancelled_keys_at_top();
        refill_if_near_empty();
        return Instant::at(Duration::nanoseconds(now_run_first() ? now_run_[now_head_].time_ns : heap_.front().time_ns));
    }
    // Removes the earliest pending event and returns its time and handler.
    struct Popped {
        Instant at;
        EventHandler handler;
    };
    Popped pop();
    // Removes the earliest pending event, sets `clock` to its time and runs its handler in place.
    // The queue must not be empty.
    void run_next(Instant& clock);

private:
    struct Key {
        std::int64_t time_ns;
        std::uint64_t order;
        std::uint32_t slot;
    };
    // One cache line: the handler's tail padding holds the bookkeeping.
    struct alignas(64) Slot {
        [[no_unique_address]] EventHandler handler;
        std::uint32_t generation = 1;
        std::uint32_t next_free = 0;  // on the free list: the next free slot; else a marker below
    };
    static_assert(sizeof(Slot) == 64, "Slot should fill exactly one cache line");
    static constexpr std::uint32_t no_slot = UINT32_MAX;
    static constexpr std::uint32_t in_use = UINT32_MAX - 1;      // pending or running
    static constexpr std::uint32_t cancelled = UINT32_MAX - 2;   // its key is still in the heap
    static constexpr std::uint32_t in_far = UINT32_MAX - 3;      // pending, its key in the far tier
    static constexpr std::uint32_t cancelled_far = UINT32_MAX - 4;  // cancelled, key in the far tier
    static constexpr std::uint32_t chunk_bits = 7;
    static constexpr std::uint32_t chunk_size = 1u << chunk_bits;
    // 2^28 ns, about 268 ms: longer than a fuzzed run takes to decide, shorter than Linux's
    // first retransmission timeout (1 s).
    static constexpr std::int64_t far_window_ns = std::int64_t{1} << 28;

    // A slot taken for an event at (at, order), its key filed: the caller fills the handler
    // before the queue is used again.
    struct Reserved {
        EventHandler& handler;
        EventId id;
    };
    Reserved reserve(Instant at, std::uint64_t order);

    static bool before(const Key& a, const Key& b) {
        if (a.time_ns != b.time_ns) return a.time_ns < b.time_ns;
        if (a.order != b.order) return a.order < b.order;
        return a.slot < b.slot;
    }
    Slot& slot(std::uint32_t index) const { return chunks_[index >> chunk_bits][index & (chunk_size - 1)]; }
    // True when the earliest key is the front of the now-run (which must then be non-empty).
    bool now_run_first() const {
        return now_head_ < now_run_.size() && (heap_.empty() || before(now_run_[now_head_], heap_.front()));
    }
    // Removes and returns the earliest key, from the now-run or the heap; one of them must hold a
    // key (see refill_if_near_empty).
    Key take_next();
    // When the heap and the now-run are empty, moves the far keys of the next window into the
    // heap (dropping cancelled ones); false when no key is pending anywhere.
    bool refill_if_near_empty() {
        if (!heap_.empty() || now_head_ != now_run_.size()) return true;
        return !far_.empty() && refill_from_far();
    }
    bool refill_from_far();
    // What running or popping an event needs of its key; small enough to come back in registers.
    struct Taken {
        std::int64_t time_ns;
        std::uint32_t slot;
    };
    // Removes the earliest key of a pending event, dropping cancelled keys before it; some event
    // must be pending.
    Taken take_next_live();
    // The instant of the key about to run becomes the now-run's instant.
    void advance_clock(std::int64_t time_ns);
    std::uint32_t acquire_slot();
    std::uint32_t add_slot();
    void retire(Slot& s);
    void free_slot(std::uint32_t index);
    void drop_cancelled_keys_at_top();
    Key take_top();
    void sift_up(std::size_t hole, Key moving);
    // The key's fields travel in registers: a 24-byte struct argument would go through the stack,
    // stored field by field and read back in wider words.
    void sift_down(std::size_t hole, std::int64_t time_ns, std::uint64_t order, std::uint32_t slot_index);
    void sift_down(std::size_t hole, const Key& moving) { sift_down(hole, moving.time_ns, moving.order, moving.slot); }
    void compact_if_mostly_cancelled();
    void compact_far_if_mostly_cancelled();
    // Removes from `keys` every key whose slot carries `marker` (cancelled or cancelled_far)
    // and frees those slots; the other keys keep their relative order.
    void drop_keys_marked(std::vector<Key>& keys, std::uint32_t marker);

    std::vector<Key> heap_;
    // Keys at `clock_ns_` in increasing order, pending from now_head_ on (see above).
    std::vector<Key> now_run_;
    std::size_t now_head_ = 0;
    std::int64_t clock_ns_ = INT64_MIN;  // the time of the event taken last to run
    std::vector<std::unique_ptr<Slot[]>> chunks_;
    std::uint32_t slot_count_ = 0;
    std::uint32_t free_head_ = no_slot;
    std::size_t live_ = 0;
    std::size_t cancelled_keys_ = 0;  // keys in heap_ or now_run_ whose slot is cancelled
    // Keys due at or after far_from_ns_, unsorted; every heap key is earlier.
    std::vector<Key> far_;
    std::int64_t far_from_ns_ = far_window_ns;
    std::size_t cancelled_far_ = 0;  // keys in far_ whose slot is cancelled
};

}  // namespace netsim
