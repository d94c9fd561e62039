// `tools/dev bench` (core part): events per second of netsim's Simulation against a bare heap
// and ns-3's schedulers on the hold model, measured in the same run. Median of 3 runs each.
// Exits 1 if implementations disagree on the checksum (different execution order).
#include "tools/bench/hold_model.h"

#include <fmt/core.h>

#include <algorithm>
#include <functional>
#include <map>
#include <vector>

using namespace netsim::bench;

namespace {

HoldResult median_of_3(const std::function<HoldResult()>& run) {
    std::vector<HoldResult> runs{run(), run(), run()};
    std::sort(runs.begin(), runs.end(), [](const HoldResult& a, const HoldResult& b) { return a.seconds < b.seconds; });
    return runs[1];
}

}  // namespace

int main(int argc, char** argv) {
    std::uint64_t events = 5'000'000;
    if (argc == 3 && std::string(argv[1]) == "--events") events = std::stoull(argv[2]);
    bool all_agree = true;
    fmt::print("netsim core benchmark: hold model, {} events per run, uniform delays mean 1 ms, median of 3\n\n", events);
    for (std::uint64_t pending : {std::uint64_t{1'000}, std::uint64_t{100'000}}) {
        HoldParams p{pending, events, 1};
        std::vector<HoldResult> results;
        results.push_back(median_of_3([&] { return run_netsim_hold(p); }));
        results.push_back(median_of_3([&] { return run_bare_heap_hold(p); }));
        if (ns3_available()) {
            for (const char* s : {"ns3::MapScheduler", "ns3::HeapScheduler", "ns3::PriorityQueueScheduler"})
                results.push_back(median_of_3([&] { return run_ns3_hold(p, s); }));
        }
        fmt::print("pending = {}\n", pending);
        fmt::print("  {:<44} {:>10} {:>18}\n", "implementation", "Mevents/s", "checksum");
        for (const HoldResult& r : results) {
            const bool agrees = r.checksum == results.front().checksum;
            all_agree &= agrees;
            fmt::print("  {:<44} {:>10.2f} {:>18x}{}\n", r.name, r.events_per_second(p) / 1e6, r.checksum,
                       agrees ? "" : "  CHECKSUM MISMATCH");
        }
        const double netsim_rate = results[0].events_per_second(p);
        fmt::print("  ratio netsim / bare heap: {:.2f} (goal >= 0.8)\n", netsim_rate / results[1].events_per_second(p));
        if (ns3_available()) {
            fmt::print("  ratio netsim / ns-3 MapScheduler (default): {:.2f} (goal >= 3)\n",
                       netsim_rate / results[2].events_per_second(p));
            fmt::print("  ratio netsim / ns-3 HeapScheduler: {:.2f}\n", netsim_rate / results[3].events_per_second(p));
            fmt::print("  ratio netsim / ns-3 PriorityQueueScheduler: {:.2f}\n",
                       netsim_rate / results[4].events_per_second(p));
        } else {
            fmt::print("  ns-3: NOT MEASURED, libns3-dev is not installed (tools/dev bench installs it)\n");
        }
        fmt::print("\n");
    }
    return all_agree ? 0 : 1;
}
