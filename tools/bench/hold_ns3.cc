// Hold model on ns-3's simulator core (Debian's libns3-dev 3.37), with a chosen scheduler.
// ns-3's Simulator is a process-wide singleton: each run calls Simulator::Destroy() at the end.
#include "tools/bench/hold_model.h"
#include "tools/bench/wall_timer.h"

#include <ns3/core-module.h>

namespace netsim::bench {

namespace {
struct Ns3HoldState {
    HoldDelays delays{1};
    std::uint64_t checksum = 0;
    std::uint64_t executed = 0;
    std::uint64_t limit = 0;
    std::uint64_t next_id = 0;
};
Ns3HoldState* g_state = nullptr;  // ns-3 handlers are free functions; benchmark-only global

void ns3_hold_event(std::uint64_t id) {
    Ns3HoldState& s = *g_state;
    s.checksum = fold_checksum(s.checksum, ns3::Simulator::Now().GetTimeStep(), id);
    if (++s.executed == s.limit) {
        ns3::Simulator::Stop();
        return;
    }
    ns3::Simulator::Schedule(ns3::TimeStep(static_cast<std::uint64_t>(s.delays.next_ns())), &ns3_hold_event,
                             s.next_id++);
}
}  // namespace

bool ns3_available() { return true; }

HoldResult run_ns3_hold(const HoldParams& p, const std::string& scheduler) {
    Ns3HoldState st;
    st.delays = HoldDelays(p.seed);
    st.limit = p.events;
    g_state = &st;
    ns3::Simulator::SetScheduler(ns3::ObjectFactory(scheduler));
    for (std::uint64_t i = 0; i < p.pending; ++i)
        ns3::Simulator::Schedule(ns3::TimeStep(static_cast<std::uint64_t>(st.delays.next_ns())), &ns3_hold_event,
                                 st.next_id++);
    WallTimer timer;
    ns3::Simulator::Run();
    const double seconds = timer.seconds();
    ns3::Simulator::Destroy();
    g_state = nullptr;
    return HoldResult{"ns-3 3.37 " + scheduler, seconds, st.checksum};
}

}  // namespace netsim::bench
