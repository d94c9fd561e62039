// The hold-model workload shared by every implementation in the core benchmark
// (see docs/benchmarks.md): keep `pending` events queued; each executed event draws a
// delay (uniform over [0, 2 ms), whole nanoseconds, mean 1 ms) from splitmix64 and schedules one
// new event, until `events` have run. Every implementation folds (time, event id) into the same
// order-sensitive checksum, so equal checksums prove equal execution order.
#pragma once

#include <cstdint>
#include <string>

namespace netsim::bench {

struct HoldParams {
    std::uint64_t pending = 1'000;
    std::uint64_t events = 5'000'000;
    std::uint64_t seed = 1;
};

struct HoldResult {
    std::string name;
    double seconds = 0;            // wall time of the timed part (not the initial inserts)
    std::uint64_t checksum = 0;
    double events_per_second(const HoldParams& p) const { return static_cast<double>(p.events) / seconds; }
};

// Delay generator: splitmix64 over a state seeded with `seed`, reduced to [0, 2'000'000) ns.
class HoldDelays {
public:
    explicit HoldDelays(std::uint64_t seed) : state_(seed) {}
    std::int64_t next_ns() {
        std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        z ^= z >> 31;
        return static_cast<std::int64_t>(z % 2'000'000);
    }

private:
    std::uint64_t state_;
};

inline std::uint64_t fold_checksum(std::uint64_t sum, std::int64_t time_ns, std::uint64_t id) {
    sum ^= static_cast<std::uint64_t>(time_ns) + 0x9e3779b97f4a7c15ULL + (id << 6);
    return sum * 0x100000001b3ULL;
}

HoldResult run_netsim_hold(const HoldParams& p);
HoldResult run_bare_heap_hold(const HoldParams& p);
// Runs ns-3's simulator core with the named scheduler ("ns3::MapScheduler", ...).
HoldResult run_ns3_hold(const HoldParams& p, const std::string& scheduler);
bool ns3_available();

}  // namespace netsim::bench
