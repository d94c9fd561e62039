// One subchannel per address, sticky TRANSIENT_FAILURE per subchannel, the aggregate state.
#include "policies/endpoint_list.h"

#include <algorithm>

namespace netsim::policies {

void EndpointListPolicy::on_addresses(const std::vector<net::SocketAddress>& addresses) {
    std::vector<net::SocketAddress> list;
    for (const auto& a : addresses)
        if (std::find(list.begin(), list.end(), a) == list.end()) list.push_back(a);
    list_ = std::move(list);
    order_stale_ = true;
    // Addresses that left the list lose their subchannels (grpc-go base: RemoveSubConn).
    for (auto it = entries_.begin(); it != entries_.end();) {
        if (std::find(list_.begin(), list_.end(), it->first) != list_.end()) {
            ++it;
            continue;
        }
        Subchannel& s = *it->second.subchannel;
        on_endpoint_state(s, ConnectivityState::shutdown);
        it = entries_.erase(it);
        order_stale_ = true;
        control_.remove_subchannel(s);
    }
    if (list_.empty()) {
        // grpc-go base balancer: zero addresses is a resolver error, and with no subchannel left
        // the aggregate is TRANSIENT_FAILURE.
        last_error_ = "resolver produced zero addresses";
        update_aggregate(true);
        return;
    }
    // New addresses get a subchannel each, all connecting at once (eager, unlike pick_first).
    std::vector<Subchannel*> fresh;
    for (const auto& a : list_) {
        if (entries_.contains(a)) continue;
        Subchannel& s = control_.create_subchannel({a});
        entries_.emplace(a, Entry{&s, ConnectivityState::idle});
        order_stale_ = true;
        fresh.push_back(&s);
    }
    update_aggregate(true);  // the order of the READY set may have changed
    for (Subchannel* s : fresh) s->request_connection();
}

void EndpointListPolicy::on_resolver_error(const std::string& reason) {
    // A previous good list stays in use (grpc-go base balancer ResolverError).
    if (!entries_.empty() && state_ != ConnectivityState::transient_failure) return;
    last_error_ = "resolver error: " + reason;
    update_aggregate(true);
}

void EndpointListPolicy::exit_idle() {
    std::vector<Subchannel*> idle;
    for (const auto& [address, entry] : entries_)
        if (entry.subchannel->state() == ConnectivityState::idle) idle.push_back(entry.subchannel);
    for (Subchannel* s : idle) s->request_connection();
}

void EndpointListPolicy::on_subchannel_state(Subchannel& s, ConnectivityState from, ConnectivityState to) {
    auto it = entries_.find(s.addresses().front());
    if (it == entries_.end() || it->second.subchannel != &s) return;  // an obsolete subchannel
    Entry& entry = it->second;
    const bool sticky = entry.effective == ConnectivityState::transient_failure &&
                        (to == ConnectivityState::connecting || to == ConnectivityState::idle);
    if (!sticky) entry.effective = to;
    if (to == ConnectivityState::transient_failure)
        last_error_ = "no READY subchannel: every connection attempt failed";
    on_endpoint_state(s, to);
    update_aggregate(false);
    // A lost READY connection asks the resolver again, as the pick_first leaves of grpc-go's
    // endpointsharding and C-core's round_robin endpoints do.
    if (from == ConnectivityState::ready) control_.request_reresolution();
    // An IDLE subchannel (its READY connection lost, or its backoff over) reconnects at once
    // (grpc-go base balancer: sc.Connect() on IDLE).
    if (to == ConnectivityState::idle) s.request_connection();
}

void EndpointListPolicy::refresh_picker() {
    if (reported_) update_aggregate(true);
}

std::vector<Subchannel*> EndpointListPolicy::ready_set() const {
    if (order_stale_) {
        in_list_order_.clear();
        for (const auto& a : list_)
            if (auto it = entries_.find(a); it != entries_.end()) in_list_order_.push_back(&it->second);
        order_stale_ = false;
    }
    std::vector<Subchannel*> ready;
    for (const Entry* e : in_list_order_)
        if (e->effective == ConnectivityState::ready) ready.push_back(e->subchannel);
    return ready;
}

void EndpointListPolicy::update_aggregate(bool force_picker) {
    // grpc-go ConnectivityStateEvaluator: READY if any is READY; else CONNECTING if any is
    // CONNECTING or IDLE; else TRANSIENT_FAILURE (also with no subchannel at all).
    bool any_ready = false, any_connecting = false;
    for (const auto& [address, entry] : entries_) {
        any_ready |= entry.effective == ConnectivityState::ready;
        any_connecting |= entry.effective == ConnectivityState::connecting || entry.effective == ConnectivityState::idle;
    }
    const ConnectivityState next = any_ready        ? ConnectivityState::ready
                                   : any_connecting ? ConnectivityState::connecting
                                                    : ConnectivityState::transient_failure;
    std::vector<Subchannel*> ready = ready_set();
    if (!force_picker && reported_ && next == state_ && ready == ready_) return;
    state_ = next;
    ready_ = ready;
    reported_ = true;
    std::unique_ptr<Picker> picker;
    switch (next) {
        case ConnectivityState::ready: picker = ready_picker(std::move(ready)); break;
        case ConnectivityState::connecting: picker = std::make_unique<QueuePicker>(); break;
        default: picker = std::make_unique<FailPicker>(last_error_); break;
    }
    control_.update_state(state_, std::move(picker));
}

}  // namespace netsim::policies
