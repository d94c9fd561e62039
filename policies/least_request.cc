// least_request (gRFC A48; grpc-go balancer/leastrequest): the subchannels, states and sticky
// TRANSIENT_FAILURE of round_robin (EndpointListPolicy); each pick draws `choice_count` READY
// subchannels uniformly, with replacement, from the stream "lb/<channel>" and sends the RPC to
// the one with the fewest outstanding RPCs (the channel counts them from the pick to the RPC's
// end), ties going to the first drawn. Configuration: `choice_count`, default 2; below 2 is
// rejected and above 10 is taken as 10 (A48).
#include "policies/endpoint_list.h"
#include "policies/policy_registry.h"

#include <charconv>

namespace netsim::policies {

namespace {

struct LeastRequestConfig {
    std::uint32_t choice_count = 2;  // A48: default 2, at least 2, capped at 10
};

class LeastRequestPicker final : public Picker {
public:
    LeastRequestPicker(std::vector<Subchannel*> ready, std::uint32_t choice_count, ChannelControl& control)
        : ready_(std::move(ready)), choice_count_(choice_count), control_(control) {}

    PickResult pick(const PickArgs&) override {
        Subchannel* best = nullptr;
        std::size_t best_count = 0;
        for (std::uint32_t i = 0; i < choice_count_; ++i) {
            Subchannel* candidate = ready_[static_cast<std::size_t>(control_.lb_rng().below(ready_.size()))];
            const std::size_t count = control_.outstanding_rpcs(*candidate);
            // Strictly fewer: a tie keeps the earlier draw (grpc-go leastrequest picker).
            if (best == nullptr || count < best_count) {
                best = candidate;
                best_count = count;
            }
        }
        return PickResult::complete(*best);
    }

private:
    std::vector<Subchannel*> ready_;
    std::uint32_t choice_count_;
    ChannelControl& control_;
};

class LeastRequest final : public EndpointListPolicy {
public:
    LeastRequest(ChannelControl& control, LeastRequestConfig config) : EndpointListPolicy(control), config_(config) {}
    std::string_view name() const override { return "least_request"; }

private:
    std::unique_ptr<Picker> ready_picker(std::vector<Subchannel*> ready) override {
        return std::make_unique<LeastRequestPicker>(std::move(ready), config_.choice_count, control());
    }

    LeastRequestConfig config_;
};

std::optional<std::uint64_t> parse_count(std::string_view text) {
    std::uint64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
    return value;
}

}  // namespace

void register_least_request(PolicyRegistry& registry) {
    registry.add("least_request", [](const PolicyConfig& config) -> PolicyLookup {
        LeastRequestConfig parsed;
        for (std::size_t i = 0; i < config.size(); ++i) {
            const ConfigEntry& e = config[i];
            if (e.key != "choice_count") return unknown_config_key("least_request", i, e.key, "choice_count");
            const std::optional<std::uint64_t> n = parse_count(e.value);
            if (!n || *n < 2) return bad_config_value(i, e, "a whole number of at least 2");
            parsed.choice_count = static_cast<std::uint32_t>(std::min<std::uint64_t>(*n, 10));  // A48: capped at 10
        }
        return PolicyMaker([parsed](ChannelControl& control) -> std::unique_ptr<LbPolicy> {
            return std::make_unique<LeastRequest>(control, parsed);
        });
    });
}

}  // namespace netsim::policies
