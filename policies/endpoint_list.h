// The part round_robin, least_request and weighted_round_robin share (C-core's EndpointList,
// grpc-go's balancer/base and endpointsharding): one subchannel per address, all connecting at
// once; a subchannel that goes IDLE is asked to connect again at once; a resolver update keeps
// the subchannels of addresses that stay and drops the others. Each subchannel's state is sticky
// in TRANSIENT_FAILURE (grpc-go base balancer: a TF subchannel that goes IDLE or CONNECTING still
// counts as TF until it is READY), and the aggregate is READY if any is READY, else CONNECTING if
// any is CONNECTING or IDLE, else TRANSIENT_FAILURE. A policy built on it only says how to pick
// among the READY subchannels; its picker is rebuilt whenever that set or the aggregate changes.
#pragma once

#include "policies/lb_policy.h"

#include <map>
#include <memory>
#include <vector>

namespace netsim::policies {

class EndpointListPolicy : public LbPolicy {
public:
    explicit EndpointListPolicy(ChannelControl& control) : control_(control) {}

    void on_addresses(const std::vector<net::SocketAddress>& addresses) final;
    void on_resolver_error(const std::string& reason) final;
    void exit_idle() final;
    void on_subchannel_state(Subchannel& subchannel, ConnectivityState from, ConnectivityState to) final;

protected:
    // The READY picker over `ready` (never empty, in resolver order).
    virtual std::unique_ptr<Picker> ready_picker(std::vector<Subchannel*> ready) = 0;
    // A subchannel this policy follows entered `to` (or, with SHUTDOWN, was dropped), before the
    // aggregate is recomputed.
    virtual void on_endpoint_state(Subchannel&, ConnectivityState /*to*/) {}
    // Rebuilds the picker now (for a policy whose picking data changed, e.g. weights).
    void refresh_picker();

    ChannelControl& control() { return control_; }
    ConnectivityState aggregate() const { return state_; }

private:
    struct Entry {
        Subchannel* subchannel = nullptr;
        ConnectivityState effective = ConnectivityState::idle;  // sticky in TRANSIENT_FAILURE
    };

    void update_aggregate(bool force_picker);
    std::vector<Subchannel*> ready_set() const;

    ChannelControl& control_;
    std::vector<net::SocketAddress> list_;  // de-duplicated, resolver order
    std::map<net::SocketAddress, Entry> entries_;
    // entries_ in list_ order (map nodes do not move), rebuilt after either changes, so that a
    // state change costs no lookups.
    mutable std::vector<const Entry*> in_list_order_;
    mutable bool order_stale_ = true;
    ConnectivityState state_ = ConnectivityState::idle;
    std::vector<Subchannel*> ready_;  // what the current picker was built over
    std::string last_error_ = "no address connected yet";
    bool reported_ = false;
};

}  // namespace netsim::policies
