// The bare baseline: std::priority_queue of 24-byte (time, seq, function pointer) entries,
// no cancellation, no type erasure. What a hand-written queue costs at the least.
#include "tools/bench/hold_model.h"
#include "tools/bench/wall_timer.h"

#include <queue>
#include <vector>

namespace netsim::bench {

namespace {
struct BareState;
using BareFn = void (*)(BareState&, std::int64_t now, std::uint64_t id);

struct BareEntry {
    std::int64_t time_ns;
    std::uint64_t seq;
    BareFn fn;
    bool operator>(const BareEntry& o) const { return time_ns != o.time_ns ? time_ns > o.time_ns : seq > o.seq; }
};

struct BareState {
    std::priority_queue<BareEntry, std::vector<BareEntry>, std::greater<>> heap;
    HoldDelays delays;
    std::uint64_t checksum = 0;
    std::uint64_t executed = 0;
    std::uint64_t limit = 0;
    std::uint64_t next_seq = 0;
    bool stopped = false;
};

void hold_event(BareState& s, std::int64_t now, std::uint64_t id) {
    s.checksum = fold_checksum(s.checksum, now, id);
    if (++s.executed == s.limit) {
        s.stopped = true;
        return;
    }
    s.heap.push(BareEntry{now + s.delays.next_ns(), s.next_seq++, &hold_event});
}
}  // namespace

HoldResult run_bare_heap_hold(const HoldParams& p) {
    BareState s{{}, HoldDelays(p.seed), 0, 0, p.events, 0, false};
    for (std::uint64_t i = 0; i < p.pending; ++i)
        s.heap.push(BareEntry{s.delays.next_ns(), s.next_seq++, &hold_event});
    WallTimer timer;
    while (!s.stopped && !s.heap.empty()) {
        const BareEntry e = s.heap.top();
        s.heap.pop();
        e.fn(s, e.time_ns, e.seq);
    }
    return HoldResult{"bare binary heap (time, seq, fn*)", timer.seconds(), s.checksum};
}

}  // namespace netsim::bench
