// pick_first with one subchannel per address (gRFC A61 and A62; grpc-go
// balancer/pickfirst/pickfirstleaf). Addresses are shuffled (optionally, on every resolver
// update), de-duplicated and interleaved by family (RFC 8305 section 4: the first family in the
// list first, then alternating). Happy Eyeballs: each attempt is given `connection_attempt_delay`
// (250 ms) before the next address is started beside it. Once every subchannel failed in the
// first pass the channel is TRANSIENT_FAILURE and stays there (sticky) while the subchannels
// retry after their own backoff, until one is READY. A lost READY subchannel makes the channel
// IDLE and asks for re-resolution. TRANSIENT_FAILURE from an empty list is left by the next
// non-empty update at once.
#include "policies/policy_registry.h"
#include "policies/resolver.h"

#include "sim/core/check.h"

#include <algorithm>
#include <map>
#include <span>

namespace netsim::policies {

namespace {

using namespace netsim::literals;

struct PickFirstLeafConfig {
    bool shuffle_address_list = false;             // gRFC A62
    Duration connection_attempt_delay = 250_ms;    // gRFC A61 (grpc-go connectionDelayInterval)
};

// RFC 8305 section 4 with a First Address Family Count of 1, as grpc-go interleaveAddresses.
std::vector<net::SocketAddress> interleave_by_family(const std::vector<net::SocketAddress>& in) {
    std::vector<net::SocketAddress> families[2];
    std::vector<int> order;
    for (const auto& a : in) {
        const int f = a.ip.unmapped().is_v4() ? 0 : 1;
        if (std::find(order.begin(), order.end(), f) == order.end()) order.push_back(f);
        families[f].push_back(a);
    }
    std::vector<net::SocketAddress> out;
    std::size_t next[2] = {0, 0};
    for (std::size_t turn = 0; out.size() < in.size(); turn = (turn + 1) % order.size()) {
        const int f = order[turn];
        if (next[f] < families[f].size()) out.push_back(families[f][next[f]++]);
    }
    return out;
}

class PickFirstLeaf final : public LbPolicy {
public:
    PickFirstLeaf(ChannelControl& control, PickFirstLeafConfig config) : control_(control), config_(config) {}
    ~PickFirstLeaf() override { cancel_timer(); }

    std::string_view name() const override { return "pick_first_leaf"; }

    void on_addresses(const std::vector<net::SocketAddress>& addresses) override {
        cancel_timer();
        if (addresses.empty()) {
            // grpc-go: an empty list drops every subchannel and is treated as a resolver error.
            state_ = ConnectivityState::transient_failure;
            remove_all_except(nullptr);
            list_.clear();
            index_ = 0;
            resolver_error("produced zero addresses");
            return;
        }
        std::vector<net::SocketAddress> list = addresses;
        if (config_.shuffle_address_list) control_.lb_rng().shuffle(std::span(list));
        std::vector<net::SocketAddress> unique;
        for (const auto& a : list)
            if (std::find(unique.begin(), unique.end(), a) == unique.end()) unique.push_back(a);
        const std::optional<net::SocketAddress> previous = current();
        const std::size_t previous_count = list_.size();
        list_ = interleave_by_family(unique);
        index_ = 0;
        control_.record("lb.address_list", {{"order", format_address_list(list_)}});
        // A READY connection whose address is still listed, at any position, is kept.
        if (state_ == ConnectivityState::ready && previous && seek_to(*previous)) return;
        reconcile();
        if (state_ == ConnectivityState::ready || state_ == ConnectivityState::connecting || previous_count == 0) {
            // First list, the connected address dropped, or TF from an empty list (A62's sticky
            // TF is for connection failures only): CONNECTING, from the first address.
            report(ConnectivityState::connecting, std::make_unique<QueuePicker>());
            start_first_pass();
        } else if (state_ == ConnectivityState::transient_failure) {
            start_first_pass();  // sticky: stay TF until READY (A62)
        }
    }

    void on_resolver_error(const std::string& reason) override { resolver_error("resolver error: " + reason); }

    void exit_idle() override {
        if (state_ == ConnectivityState::idle) start_first_pass();
    }

    void on_subchannel_state(Subchannel& s, ConnectivityState from, ConnectivityState to) override {
        auto it = subchannels_.find(s.addresses().front());
        if (it == subchannels_.end() || it->second.subchannel != &s) return;  // an obsolete subchannel
        Entry& entry = it->second;
        entry.state = to;
        if (to == ConnectivityState::transient_failure) entry.failed_in_first_pass = true;

        if (to == ConnectivityState::ready) {
            remove_all_except(&s);
            seek_to(s.addresses().front());
            report(ConnectivityState::ready, std::make_unique<SubchannelPicker>(s));
            return;
        }
        if (state_ == ConnectivityState::ready || (from == ConnectivityState::connecting && to == ConnectivityState::idle)) {
            // The READY subchannel failed: IDLE; the next pick starts again from the first address.
            remove_all_except(&s);
            index_ = 0;
            report(ConnectivityState::idle, std::make_unique<QueuePicker>());
            control_.request_reresolution();
            return;
        }
        if (first_pass_) {
            if (to == ConnectivityState::connecting) {
                if (state_ == ConnectivityState::idle) report(ConnectivityState::connecting, std::make_unique<QueuePicker>());
            } else if (to == ConnectivityState::transient_failure) {
                // Out-of-turn failures (Happy Eyeballs, reused subchannels) only count.
                if (current() == s.addresses().front()) {
                    cancel_timer();
                    if (increment()) {
                        request_connection();
                        return;
                    }
                }
                end_first_pass_if_possible();
            }
            return;
        }
        // After the first pass: keep every failing subchannel retrying; report TF again each
        // time as many failures as subchannels have been seen.
        if (to == ConnectivityState::transient_failure) {
            tf_count_ = (tf_count_ + 1) % subchannels_.size();
            if (tf_count_ == 0) report(ConnectivityState::transient_failure, std::make_unique<FailPicker>("every address failed"));
        } else if (to == ConnectivityState::idle) {
            s.request_connection();
        }
    }

private:
    struct Entry {
        Subchannel* subchannel = nullptr;
        ConnectivityState state = ConnectivityState::idle;  // as last reported
        bool failed_in_first_pass = false;
    };

    std::optional<net::SocketAddress> current() const {
        if (index_ >= list_.size()) return std::nullopt;
        return list_[index_];
    }
    bool increment() {
        if (index_ >= list_.size()) return false;
        ++index_;
        return index_ < list_.size();
    }
    bool seek_to(const net::SocketAddress& a) {
        auto it = std::find(list_.begin(), list_.end(), a);
        if (it == list_.end()) return false;
        index_ = static_cast<std::size_t>(it - list_.begin());
        return true;
    }

    void resolver_error(const std::string& why) {
        // A previous good list stays in use (grpc-go pickfirstleaf.resolverErrorLocked).
        if (state_ != ConnectivityState::transient_failure && !list_.empty()) return;
        report(ConnectivityState::transient_failure, std::make_unique<FailPicker>(why));
    }

    void start_first_pass() {
        first_pass_ = true;
        tf_count_ = 0;
        for (auto& [address, entry] : subchannels_) entry.failed_in_first_pass = false;
        request_connection();
    }

    // Connects the subchannel of the current address, skipping those still in backoff.
    void request_connection() {
        if (index_ >= list_.size()) return;
        do {
            const net::SocketAddress address = list_[index_];
            auto it = subchannels_.find(address);
            if (it == subchannels_.end())
                it = subchannels_.emplace(address, Entry{&control_.create_subchannel({address})}).first;
            Entry& entry = it->second;
            switch (entry.state) {
                case ConnectivityState::idle: {
                    Subchannel* s = entry.subchannel;
                    schedule_next_attempt();
                    s->request_connection();
                    return;
                }
                case ConnectivityState::connecting:
                    schedule_next_attempt();
                    return;
                case ConnectivityState::transient_failure:
                    // Reused and still in backoff from an earlier pass: counts as failed.
                    entry.failed_in_first_pass = true;
                    continue;
                case ConnectivityState::ready:
                case ConnectivityState::shutdown:
                    return;
            }
        } while (increment());
        end_first_pass_if_possible();
    }

    // Happy Eyeballs: if the current attempt has not ended after the delay, start the next.
    void schedule_next_attempt() {
        cancel_timer();
        if (index_ + 1 >= list_.size()) return;
        timer_ = control_.sim().schedule_after(config_.connection_attempt_delay, [this] {
            control_.record("lb.happy_eyeballs", {{"waited_for", current()->trace()}});
            if (increment()) request_connection();
        });
    }
    void cancel_timer() { control_.sim().cancel(timer_); }

    void end_first_pass_if_possible() {
        if (index_ < list_.size()) return;
        for (const auto& [address, entry] : subchannels_)
            if (!entry.failed_in_first_pass) return;
        first_pass_ = false;
        report(ConnectivityState::transient_failure, std::make_unique<FailPicker>("every address failed"));
        // Subchannels whose backoff already ended start again now; the others when theirs ends.
        std::vector<Subchannel*> idle;
        for (const auto& [address, entry] : subchannels_)
            if (entry.state == ConnectivityState::idle) idle.push_back(entry.subchannel);
        for (Subchannel* s : idle) s->request_connection();
    }

    // Drops the subchannels whose address left the list.
    void reconcile() {
        for (auto it = subchannels_.begin(); it != subchannels_.end();) {
            if (std::find(list_.begin(), list_.end(), it->first) != list_.end()) {
                ++it;
                continue;
            }
            control_.remove_subchannel(*it->second.subchannel);
            it = subchannels_.erase(it);
        }
    }

    void remove_all_except(Subchannel* keep) {
        cancel_timer();
        for (auto it = subchannels_.begin(); it != subchannels_.end();) {
            if (it->second.subchannel == keep) {
                ++it;
                continue;
            }
            control_.remove_subchannel(*it->second.subchannel);
            it = subchannels_.erase(it);
        }
    }

    void report(ConnectivityState state, std::unique_ptr<Picker> picker) {
        state_ = state;
        control_.update_state(state, std::move(picker));
    }

    ChannelControl& control_;
    PickFirstLeafConfig config_;
    std::vector<net::SocketAddress> list_;  // shuffled, de-duplicated, interleaved
    std::size_t index_ = 0;                 // grpc-go addressList.idx; == size: off the end
    std::map<net::SocketAddress, Entry> subchannels_;
    ConnectivityState state_ = ConnectivityState::idle;
    bool first_pass_ = false;
    std::size_t tf_count_ = 0;
    EventId timer_;
};

}  // namespace

void register_pick_first_leaf(PolicyRegistry& registry) {
    registry.add("pick_first_leaf", [](const PolicyConfig& config) -> PolicyLookup {
        PickFirstLeafConfig parsed;
        for (std::size_t i = 0; i < config.size(); ++i) {
            const ConfigEntry& e = config[i];
            if (e.key == "shuffle_address_list") {
                std::optional<bool> b = parse_config_bool(e.value);
                if (!b) return bad_config_value(i, e, "true or false");
                parsed.shuffle_address_list = *b;
            } else if (e.key == "connection_attempt_delay") {
                std::optional<Duration> d = parse_duration(e.value);
                if (!d || *d <= Duration::zero()) return bad_config_value(i, e, "a positive duration such as 250ms");
                parsed.connection_attempt_delay = *d;
            } else {
                return unknown_config_key("pick_first_leaf", i, e.key, "shuffle_address_list, connection_attempt_delay");
            }
        }
        return PolicyMaker([parsed](ChannelControl& control) -> std::unique_ptr<LbPolicy> {
            return std::make_unique<PickFirstLeaf>(control, parsed);
        });
    });
}

}  // namespace netsim::policies
