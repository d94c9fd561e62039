// ring_hash (gRFC A42; grpc-go balancer/ringhash, C-core ring_hash): one subchannel per address
// (a repeated address counts as its weight), placed on a ring of `min_ring_size` (1024) ..
// `max_ring_size` (4096, grpc-go's cap) entries by XXH64 of the address string. An RPC goes to the
// first entry clockwise from its request hash (RpcOptions::request_hash; without one, a hash of
// the RPC's id salted from the stream lb/<channel>, stable across re-picks). Subchannels start
// IDLE and connect only when a pick needs them (the picker asks; the policy connects in a later
// event, never under the pick); a subchannel in TRANSIENT_FAILURE counts as TF until READY and
// retries after each backoff; a lost READY one is IDLE again. The picker follows A42's
// pseudo-code (skip a TF entry to the next distinct subchannel, connect IDLE ones, fail when
// nothing is READY or on its way), and the aggregate follows A42's six rules. While nothing is
// READY and a subchannel fails, the next IDLE subchannel clockwise is started, so a channel in
// TRANSIENT_FAILURE recovers with no RPC pending.
#include "policies/hash_ring.h"
#include "policies/policy_registry.h"
#include "policies/xxhash64.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <memory>
#include <set>

namespace netsim::policies {

namespace {

struct RingHashConfig {
    std::uint64_t min_ring_size = 1024;  // gRFC A42 default
    std::uint64_t max_ring_size = 4096;  // A42 says 8M; grpc-go caps both at 4096 (ringHashSizeCap)
};
constexpr std::uint64_t ring_size_limit = 8'388'608;  // A42: both at most 8M

class RingHash;

struct EndpointView {
    Subchannel* subchannel = nullptr;
    ConnectivityState state = ConnectivityState::idle;  // the policy's view (sticky TF)
};

class RingHashPicker final : public Picker {
public:
    RingHashPicker(RingHash& policy, std::shared_ptr<const std::vector<RingEntry>> ring,
                   std::vector<EndpointView> endpoints, std::uint64_t salt)
        : policy_(policy), ring_(std::move(ring)), endpoints_(std::move(endpoints)), salt_(salt) {}
    PickResult pick(const PickArgs& args) override;

private:
    RingHash& policy_;
    std::shared_ptr<const std::vector<RingEntry>> ring_;
    std::vector<EndpointView> endpoints_;
    std::uint64_t salt_;
};

class RingHash final : public LbPolicy {
public:
    RingHash(ChannelControl& control, RingHashConfig config)
        : control_(control), config_(config), salt_(control.lb_rng().next_u64()) {}
    ~RingHash() override { control_.sim().cancel(connect_event_); }

    std::string_view name() const override { return "ring_hash"; }

    void on_addresses(const std::vector<net::SocketAddress>& addresses) override {
        std::vector<net::SocketAddress> list;
        std::map<net::SocketAddress, std::uint64_t> weights;  // A42: a repeated address adds weight
        for (const auto& a : addresses)
            if (weights[a]++ == 0) list.push_back(a);
        for (auto it = entries_.begin(); it != entries_.end();) {
            if (weights.contains(it->first)) {
                ++it;
                continue;
            }
            Subchannel& s = *it->second.subchannel;
            it = entries_.erase(it);
            control_.remove_subchannel(s);
        }
        list_ = list;
        if (list_.empty()) {
            ring_.reset();
            last_error_ = "resolver produced zero addresses";
            update();
            return;
        }
        std::vector<RingEndpoint> ring_endpoints;
        for (const auto& a : list_) {
            if (!entries_.contains(a)) entries_.emplace(a, EndpointView{&control_.create_subchannel({a})});
            ring_endpoints.push_back({a.to_string(), weights[a]});
        }
        ring_ = std::make_shared<const std::vector<RingEntry>>(
            build_ring(ring_endpoints, config_.min_ring_size, config_.max_ring_size));
        control_.record("lb.ring", {{"entries", static_cast<std::int64_t>(ring_->size())},
                                    {"endpoints", static_cast<std::int64_t>(list_.size())}});
        update();
    }

    void on_resolver_error(const std::string& reason) override {
        if (!entries_.empty() && state_ != ConnectivityState::transient_failure) return;
        last_error_ = "resolver error: " + reason;
        update();
    }

    // Nothing: connections come from picks and from failures while nothing is READY (A42; grpc-go
    // ringhash ExitIdle is a no-op too), so connect() alone leaves ring_hash IDLE.
    void exit_idle() override {}

    void on_subchannel_state(Subchannel& s, ConnectivityState from, ConnectivityState to) override {
        auto it = entries_.find(s.addresses().front());
        if (it == entries_.end() || it->second.subchannel != &s) return;
        EndpointView& e = it->second;
        // A42: TF until READY, whatever the retries report; a lost READY one is IDLE.
        const bool sticky = e.state == ConnectivityState::transient_failure &&
                            (to == ConnectivityState::connecting || to == ConnectivityState::idle);
        if (!sticky) e.state = to;
        if (to == ConnectivityState::transient_failure) last_error_ = "no READY subchannel on the ring";
        if (from == ConnectivityState::ready) control_.request_reresolution();
        update();
        if (from == ConnectivityState::transient_failure && to == ConnectivityState::idle) {
            s.request_connection();  // backoff over: the next attempt (A42 "ensure another attempt")
        } else if (to == ConnectivityState::transient_failure && state_ != ConnectivityState::ready) {
            connect_next_idle_after(it->first);  // A42: keep one attempt going, moving round the ring
        }
    }

    // From the picker: connect this endpoint in a later event (A42 "in control plane").
    void connect_soon(const net::SocketAddress& address) {
        to_connect_.insert(address);
        if (control_.sim().is_pending(connect_event_)) return;
        connect_event_ = control_.sim().schedule_after(Duration::zero(), [this] {
            const std::set<net::SocketAddress> due = std::move(to_connect_);
            to_connect_.clear();
            for (const auto& a : due) {
                auto it = entries_.find(a);
                if (it != entries_.end() && it->second.subchannel->state() == ConnectivityState::idle)
                    it->second.subchannel->request_connection();
            }
        });
    }

private:
    // Starts the first endpoint clockwise after `failed`'s first ring entry that is IDLE, unless
    // some subchannel is attempting already.
    void connect_next_idle_after(const net::SocketAddress& failed) {
        if (!ring_) return;
        for (const auto& [address, e] : entries_)
            if (e.subchannel->state() == ConnectivityState::connecting) return;
        const std::size_t failed_index =
            static_cast<std::size_t>(std::find(list_.begin(), list_.end(), failed) - list_.begin());
        std::size_t start = 0;
        while (start < ring_->size() && (*ring_)[start].endpoint != failed_index) ++start;
        for (std::size_t i = 1; i <= ring_->size(); ++i) {
            const net::SocketAddress& a = list_[(*ring_)[(start + i) % ring_->size()].endpoint];
            if (entries_.at(a).state == ConnectivityState::idle) {
                connect_soon(a);
                return;
            }
        }
    }

    // A42 "Aggregated Connectivity State", rules 1 to 6, over the policy's view of the states.
    ConnectivityState aggregate() const {
        std::size_t ready = 0, connecting = 0, idle = 0, failed = 0;
        for (const auto& [address, e] : entries_) {
            ready += e.state == ConnectivityState::ready;
            connecting += e.state == ConnectivityState::connecting;
            idle += e.state == ConnectivityState::idle;
            failed += e.state == ConnectivityState::transient_failure;
        }
        if (ready > 0) return ConnectivityState::ready;
        if (failed >= 2) return ConnectivityState::transient_failure;
        if (connecting > 0) return ConnectivityState::connecting;
        if (failed == 1 && entries_.size() > 1) return ConnectivityState::connecting;
        if (idle > 0) return ConnectivityState::idle;
        return ConnectivityState::transient_failure;
    }

    // A new picker with the current states (A42 allows one per state change).
    void update() {
        state_ = aggregate();
        if (!ring_) {
            control_.update_state(ConnectivityState::transient_failure, std::make_unique<FailPicker>(last_error_));
            return;
        }
        std::vector<EndpointView> views;
        for (const auto& a : list_) views.push_back(entries_.at(a));
        control_.update_state(state_, std::make_unique<RingHashPicker>(*this, ring_, std::move(views), salt_));
    }


    ChannelControl& control_;
    RingHashConfig config_;
    std::uint64_t salt_;  // for RPCs without a request hash
    std::vector<net::SocketAddress> list_;  // de-duplicated, resolver order: ring endpoint indexes
    std::map<net::SocketAddress, EndpointView> entries_;
    std::shared_ptr<const std::vector<RingEntry>> ring_;
    ConnectivityState state_ = ConnectivityState::idle;
    std::string last_error_ = "no address connected yet";
    std::set<net::SocketAddress> to_connect_;
    EventId connect_event_;
};

// gRFC A42 "Picker Behavior", its pseudo-code step by step.
PickResult RingHashPicker::pick(const PickArgs& args) {
    const std::uint64_t hash = args.request_hash ? *args.request_hash
                                                 : xxhash64(std::to_string(args.rpc), salt_);
    const std::vector<RingEntry>& ring = *ring_;
    const std::size_t first = ring_index_for(ring, hash);
    const std::size_t first_endpoint = ring[first].endpoint;
    auto state = [&](std::size_t endpoint) { return endpoints_[endpoint].state; };
    // The picker's own view of the endpoint (its subchannel lives at least as long as the picker).
    auto connect = [&](std::size_t endpoint) { policy_.connect_soon(endpoints_[endpoint].subchannel->addresses().front()); };
    switch (state(first_endpoint)) {
        case ConnectivityState::ready: return PickResult::complete(*endpoints_[first_endpoint].subchannel);
        case ConnectivityState::idle: connect(first_endpoint); return PickResult::queue();
        case ConnectivityState::connecting: return PickResult::queue();
        default: break;
    }
    // TRANSIENT_FAILURE: its retry comes after its backoff by itself; look further clockwise.
    bool found_second = false, found_first_non_failed = false;
    for (std::size_t i = 1; i < ring.size(); ++i) {
        const std::size_t endpoint = ring[(first + i) % ring.size()].endpoint;
        if (endpoint == first_endpoint) continue;
        const ConnectivityState s = state(endpoint);
        if (s == ConnectivityState::ready) return PickResult::complete(*endpoints_[endpoint].subchannel);
        if (!found_second) {
            if (s == ConnectivityState::connecting) return PickResult::queue();
            if (s == ConnectivityState::idle) {
                connect(endpoint);
                return PickResult::queue();
            }
            found_second = true;
        }
        if (!found_first_non_failed && s != ConnectivityState::transient_failure) {
            if (s == ConnectivityState::idle) connect(endpoint);
            found_first_non_failed = true;
        }
    }
    return PickResult::fail("no READY subchannel on the ring");
}

std::optional<std::uint64_t> parse_size(std::string_view text) {
    std::uint64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

}  // namespace

void register_ring_hash(PolicyRegistry& registry) {
    registry.add("ring_hash", [](const PolicyConfig& config) -> PolicyLookup {
        RingHashConfig parsed;
        std::optional<std::size_t> max_entry;
        for (std::size_t i = 0; i < config.size(); ++i) {
            const ConfigEntry& e = config[i];
            if (e.key != "min_ring_size" && e.key != "max_ring_size")
                return unknown_config_key("ring_hash", i, e.key, "min_ring_size, max_ring_size");
            const std::optional<std::uint64_t> n = parse_size(e.value);
            if (!n || *n == 0 || *n > ring_size_limit) return bad_config_value(i, e, "a whole number from 1 to 8388608");
            if (e.key == "min_ring_size") parsed.min_ring_size = *n;
            else {
                parsed.max_ring_size = *n;
                max_entry = i;
            }
        }
        if (parsed.min_ring_size > parsed.max_ring_size) {
            const std::size_t at = max_entry.value_or(0);
            return PolicyConfigError{at, fmt::format("min_ring_size {} is above max_ring_size {}", parsed.min_ring_size,
                                                     parsed.max_ring_size)};
        }
        return PolicyMaker([parsed](ChannelControl& control) -> std::unique_ptr<LbPolicy> {
            return std::make_unique<RingHash>(control, parsed);
        });
    });
}

}  // namespace netsim::policies
