// Hold model on netsim's Simulation (event queue + small-buffer handlers).
#include "tools/bench/hold_model.h"
#include "tools/bench/wall_timer.h"

#include "sim/core/simulation.h"

namespace netsim::bench {

namespace {
struct HoldState {
    Simulation* sim;
    HoldDelays delays;
    std::uint64_t checksum = 0;
    std::uint64_t executed = 0;
    std::uint64_t limit = 0;
    std::uint64_t next_id = 0;
};

struct HoldEvent {
    HoldState* st;
    std::uint64_t id;
    void operator()() const {
        HoldState& s = *st;
        s.checksum = fold_checksum(s.checksum, s.sim->now().count_ns(), id);
        if (++s.executed == s.limit) {
            s.sim->stop();
            return;
        }
        s.sim->schedule_after(Duration::nanoseconds(s.delays.next_ns()), HoldEvent{st, s.next_id++});
    }
};
}  // namespace

HoldResult run_netsim_hold(const HoldParams& p) {
    SimulationOptions options;
    options.seed = p.seed;
    Simulation sim(options);
    HoldState st{&sim, HoldDelays(p.seed), 0, 0, p.events, 0};
    for (std::uint64_t i = 0; i < p.pending; ++i)
        sim.schedule_after(Duration::nanoseconds(st.delays.next_ns()), HoldEvent{&st, st.next_id++});
    WallTimer timer;
    sim.run();
    return HoldResult{"netsim Simulation", timer.seconds(), st.checksum};
}

}  // namespace netsim::bench
