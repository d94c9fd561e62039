// Classic pick_first (gRPC's original pick_first, as in grpc-go before pickfirstleaf and C-core
// before A61/A62): one subchannel for the whole address list, which walks the list in order
// within each connection attempt. The channel follows that subchannel: CONNECTING, READY, and
// TRANSIENT_FAILURE when every address failed, then CONNECTING again on the retry after backoff
// (no sticky TRANSIENT_FAILURE: that came with A62). A lost READY connection makes the channel
// IDLE, with a fresh subchannel that connects from the first address on the next RPC or
// connect().
#include "policies/policy_registry.h"

#include <span>

namespace netsim::policies {

namespace {

struct PickFirstConfig {
    bool shuffle_address_list = false;  // gRFC A62
};

class PickFirst final : public LbPolicy {
public:
    PickFirst(ChannelControl& control, PickFirstConfig config) : control_(control), config_(config) {}

    std::string_view name() const override { return "pick_first"; }

    void on_addresses(const std::vector<net::SocketAddress>& addresses) override {
        addresses_ = addresses;
        if (config_.shuffle_address_list) control_.lb_rng().shuffle(std::span(addresses_));
        if (addresses_.empty()) {
            // grpc-go: an empty list is a resolver error ("produced zero addresses").
            drop_subchannel();
            report(ConnectivityState::transient_failure, std::make_unique<FailPicker>("resolver produced zero addresses"));
            return;
        }
        if (subchannel_ == nullptr) {
            // pick_first connects as soon as it has addresses (grpc-go, C-core).
            subchannel_ = &control_.create_subchannel(addresses_);
            subchannel_->request_connection();
            return;
        }
        // Same list: nothing; READY on a listed address: kept; connecting: restarted on the new
        // list (grpc-go addrConn.updateAddrs).
        subchannel_->update_addresses(addresses_);
    }

    void on_resolver_error(const std::string& reason) override {
        // A previous good list stays in use (grpc-go pickfirst.ResolverError).
        if (state_ != ConnectivityState::transient_failure && subchannel_ != nullptr) return;
        report(ConnectivityState::transient_failure, std::make_unique<FailPicker>("resolver error: " + reason));
    }

    void exit_idle() override {
        if (subchannel_ != nullptr && subchannel_->state() == ConnectivityState::idle) subchannel_->request_connection();
    }

    void on_subchannel_state(Subchannel& s, ConnectivityState from, ConnectivityState to) override {
        if (&s != subchannel_) return;
        switch (to) {
            case ConnectivityState::connecting:
                report(ConnectivityState::connecting, std::make_unique<QueuePicker>());
                return;
            case ConnectivityState::ready:
                report(ConnectivityState::ready, std::make_unique<SubchannelPicker>(s));
                return;
            case ConnectivityState::transient_failure:
                report(ConnectivityState::transient_failure, std::make_unique<FailPicker>("every address failed"));
                return;
            case ConnectivityState::idle:
                if (from == ConnectivityState::transient_failure) {
                    s.request_connection();  // backoff over: walk the list again at once
                    return;
                }
                // The READY connection was lost: IDLE, and the next attempt starts again from the
                // first address with a fresh subchannel.
                drop_subchannel();
                subchannel_ = &control_.create_subchannel(addresses_);
                report(ConnectivityState::idle, std::make_unique<QueuePicker>());
                control_.request_reresolution();
                return;
            case ConnectivityState::shutdown:
                return;
        }
    }

private:
    void drop_subchannel() {
        if (subchannel_ != nullptr) control_.remove_subchannel(*subchannel_);
        subchannel_ = nullptr;
    }
    void report(ConnectivityState state, std::unique_ptr<Picker> picker) {
        state_ = state;
        control_.update_state(state, std::move(picker));
    }

    ChannelControl& control_;
    PickFirstConfig config_;
    std::vector<net::SocketAddress> addresses_;
    Subchannel* subchannel_ = nullptr;
    ConnectivityState state_ = ConnectivityState::idle;
};

}  // namespace

void register_pick_first(PolicyRegistry& registry) {
    registry.add("pick_first", [](const PolicyConfig& config) -> PolicyLookup {
        PickFirstConfig parsed;
        for (std::size_t i = 0; i < config.size(); ++i) {
            const ConfigEntry& e = config[i];
            if (e.key == "shuffle_address_list") {
                std::optional<bool> b = parse_config_bool(e.value);
                if (!b) return bad_config_value(i, e, "true or false");
                parsed.shuffle_address_list = *b;
            } else {
                return unknown_config_key("pick_first", i, e.key, "shuffle_address_list");
            }
        }
        return PolicyMaker([parsed](ChannelControl& control) -> std::unique_ptr<LbPolicy> {
            return std::make_unique<PickFirst>(control, parsed);
        });
    });
}

}  // namespace netsim::policies
