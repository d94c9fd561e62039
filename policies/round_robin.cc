// round_robin (gRPC doc/load-balancing.md; grpc-go balancer/roundrobin over balancer/base, C-core
// round_robin over EndpointList): a subchannel per address, all connecting eagerly, an IDLE one
// reconnecting at once; picks rotate over the READY subchannels in resolver order, starting at
// an index drawn from the stream "lb/<channel>" each time the picker is rebuilt (grpc-go
// rrPickerBuilder: a random start, so that many clients do not all hit the first backend).
// Aggregate state and sticky TRANSIENT_FAILURE as EndpointListPolicy. No configuration keys.
#include "policies/endpoint_list.h"
#include "policies/policy_registry.h"
#include "policies/round_robin_picker.h"

namespace netsim::policies {

namespace {

class RoundRobin final : public EndpointListPolicy {
public:
    using EndpointListPolicy::EndpointListPolicy;
    std::string_view name() const override { return "round_robin"; }

private:
    std::unique_ptr<Picker> ready_picker(std::vector<Subchannel*> ready) override {
        return std::make_unique<RoundRobinPicker>(std::move(ready), control().lb_rng());
    }
};

}  // namespace

void register_round_robin(PolicyRegistry& registry) {
    registry.add("round_robin", [](const PolicyConfig& config) -> PolicyLookup {
        if (!config.empty()) return unknown_config_key("round_robin", 0, config[0].key, "none");
        return PolicyMaker([](ChannelControl& control) -> std::unique_ptr<LbPolicy> {
            return std::make_unique<RoundRobin>(control);
        });
    });
}

}  // namespace netsim::policies
