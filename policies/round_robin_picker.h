// The round-robin picker: rotates over the READY subchannels it was built with, in their order,
// from a start drawn once from the policy's stream (grpc-go rrPickerBuilder's random start, so
// that many clients do not all begin at the first backend). Used by round_robin, and by
// weighted_round_robin while fewer than two weights are usable (A58).
#pragma once

#include "policies/lb_policy.h"
#include "sim/core/rng.h"

#include <cstddef>
#include <vector>

namespace netsim::policies {

class RoundRobinPicker final : public Picker {
public:
    // `ready` is not empty.
    RoundRobinPicker(std::vector<Subchannel*> ready, Rng& rng)
        : ready_(std::move(ready)), next_(static_cast<std::size_t>(rng.below(ready_.size()))) {}

    PickResult pick(const PickArgs&) override {
        Subchannel& s = *ready_[next_];
        next_ = (next_ + 1) % ready_.size();
        return PickResult::complete(s);
    }

private:
    std::vector<Subchannel*> ready_;
    std::size_t next_;
};

}  // namespace netsim::policies
