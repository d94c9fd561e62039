// weighted_round_robin (gRFC A58; grpc-go balancer/weightedroundrobin): round_robin's subchannels
// and states (EndpointListPolicy), picking by weights the backends' load reports give (ORCA
// per-call reports, read by on_load_report): weight = qps / (utilization + eps / qps x
// error_utilization_penalty). A report with qps or utilization 0 is ignored. A weight counts only
// once reports have been arriving for `blackout_period` (10 s) since the first one after the
// subchannel became READY, and stops counting `weight_expiration_period` (3 min) after the last
// one (then the blackout starts again). Every `weight_update_period` (1 s) the picker is rebuilt
// with the current weights: subchannels without a usable weight get the mean of the others; with
// fewer than two usable weights it is plain round robin from a start drawn from lb/<channel>.
// Otherwise earliest-deadline-first: each subchannel's period is inversely proportional to its
// weight, the pick goes to the smallest deadline (ties: resolver order), which then advances by
// one period. Weights are fixed-point integers (x1000), so picks never depend on float rounding.
#include "policies/endpoint_list.h"
#include "policies/policy_registry.h"
#include "policies/round_robin_picker.h"
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <map>

namespace netsim::policies {

namespace {

using namespace netsim::literals;

struct WrrConfig {
    Duration blackout_period = 10_s;            // A58 defaults
    Duration weight_expiration_period = 180_s;
    Duration weight_update_period = 1_s;        // at least 100 ms (A58)
    std::uint64_t error_utilization_penalty_permille = 1000;  // 1.0
};

// A58's per-endpoint weight bookkeeping (grpc-go endpointWeight).
struct Weight {
    std::uint64_t value_milli = 0;             // weight x 1000
    std::optional<Instant> non_empty_since;    // first usable report since READY (or expiry)
    std::optional<Instant> last_updated;
};

class EdfPicker final : public Picker {
public:
    // `weights_milli` > 0, one per subchannel.
    EdfPicker(std::vector<Subchannel*> ready, const std::vector<std::uint64_t>& weights_milli) : ready_(std::move(ready)) {
        for (std::size_t i = 0; i < weights_milli.size(); ++i) {
            const std::uint64_t period = std::max<std::uint64_t>(1, scale / weights_milli[i]);
            periods_.push_back(period);
            heap_.push_back(Due{period, i});
        }
        std::make_heap(heap_.begin(), heap_.end(), later);
    }
    // The earliest deadline, the lowest index among equal ones, in O(log n): a min-heap of
    // (deadline, index) instead of a scan of every backend.
    PickResult pick(const PickArgs&) override {
        std::pop_heap(heap_.begin(), heap_.end(), later);
        Due& due = heap_.back();
        const std::size_t best = due.index;
        due.deadline += periods_[best];
        std::push_heap(heap_.begin(), heap_.end(), later);
        return PickResult::complete(*ready_[best]);
    }

private:
    struct Due {
        std::uint64_t deadline;
        std::size_t index;
    };
    static bool later(const Due& a, const Due& b) {
        return a.deadline != b.deadline ? a.deadline > b.deadline : a.index > b.index;
    }
    static constexpr std::uint64_t scale = std::uint64_t{1} << 52;  // periods in units of 2^-52 / weight
    std::vector<Subchannel*> ready_;
    std::vector<std::uint64_t> periods_;
    std::vector<Due> heap_;
};

class WeightedRoundRobin final : public EndpointListPolicy {
public:
    WeightedRoundRobin(ChannelControl& control, WrrConfig config) : EndpointListPolicy(control), config_(config) {}
    ~WeightedRoundRobin() override { control().sim().cancel(timer_); }
    std::string_view name() const override { return "weighted_round_robin"; }

    void on_load_report(Subchannel& s, const app::LoadReport& report) override {
        auto it = weights_.find(s.id());
        if (it == weights_.end() || report.qps == 0 || report.utilization_permille == 0) return;  // A58: ignored
        // qps / (u + eps/qps x penalty), x1000, with u and the penalty in permille.
        const std::uint64_t q = report.qps;
        const std::uint64_t denominator = q * report.utilization_permille + report.eps * config_.error_utilization_penalty_permille;
        Weight& w = it->second;
        w.value_milli = std::max<std::uint64_t>(1, q * q * 1'000'000 / denominator);
        const Instant now = control().sim().now();
        if (!w.non_empty_since) w.non_empty_since = now;
        w.last_updated = now;
    }

private:
    void on_endpoint_state(Subchannel& s, ConnectivityState to) override {
        if (to == ConnectivityState::shutdown) {
            weights_.erase(s.id());
        } else if (to == ConnectivityState::ready) {
            weights_[s.id()] = Weight{};  // a new connection: the blackout starts again (A58)
        }
    }

    // The weight the scheduler may use now, 0 if none (grpc-go endpointWeight.weight).
    std::uint64_t usable(Weight& w, Instant now) const {
        if (!w.last_updated) return 0;
        if (now - *w.last_updated >= config_.weight_expiration_period) {
            w.non_empty_since.reset();
            return 0;
        }
        if (config_.blackout_period > Duration::zero() &&
            (!w.non_empty_since || now - *w.non_empty_since < config_.blackout_period))
            return 0;
        return w.value_milli;
    }

    std::unique_ptr<Picker> ready_picker(std::vector<Subchannel*> ready) override {
        arm_timer();
        const Instant now = control().sim().now();
        std::vector<std::uint64_t> weights;
        std::uint64_t sum = 0, usable_count = 0;
        for (Subchannel* s : ready) {
            const std::uint64_t w = usable(weights_[s->id()], now);
            weights.push_back(w);
            sum += w;
            usable_count += w > 0;
        }
        // A58: fewer than two usable weights: round robin.
        if (usable_count < 2) return std::make_unique<RoundRobinPicker>(std::move(ready), control().lb_rng());
        const std::uint64_t mean = sum / usable_count;
        for (std::uint64_t& w : weights)
            if (w == 0) w = mean;
        std::string list;
        for (std::size_t i = 0; i < ready.size(); ++i)
            list += fmt::format("{}{}={}", i ? "," : "", ready[i]->addresses().front().to_string(), weights[i]);
        control().record("lb.weights", {{"weights_milli", list}});
        return std::make_unique<EdfPicker>(std::move(ready), weights);
    }

    // Every weight_update_period while READY: a new picker with the weights of now.
    void arm_timer() {
        if (control().sim().is_pending(timer_)) return;
        timer_ = control().sim().schedule_after(config_.weight_update_period, [this] {
            if (aggregate() == ConnectivityState::ready) refresh_picker();
        });
    }

    WrrConfig config_;
    std::map<SubchannelId, Weight> weights_;
    EventId timer_;
};

std::optional<std::uint64_t> parse_permille(std::string_view text) {
    // A decimal like 1.0 or 0.25, to three places.
    const auto dot = text.find('.');
    std::uint64_t whole = 0, frac = 0;
    const std::string_view w = text.substr(0, dot);
    if (w.empty() || std::from_chars(w.data(), w.data() + w.size(), whole).ptr != w.data() + w.size()) return std::nullopt;
    if (dot != std::string_view::npos) {
        std::string_view f = text.substr(dot + 1);
        if (f.empty() || f.size() > 3) return std::nullopt;
        std::string padded(f);
        padded.resize(3, '0');
        if (std::from_chars(padded.data(), padded.data() + 3, frac).ptr != padded.data() + 3) return std::nullopt;
    }
    return whole * 1000 + frac;
}

}  // namespace

void register_weighted_round_robin(PolicyRegistry& registry) {
    registry.add("weighted_round_robin", [](const PolicyConfig& config) -> PolicyLookup {
        WrrConfig parsed;
        for (std::size_t i = 0; i < config.size(); ++i) {
            const ConfigEntry& e = config[i];
            Duration* target = e.key == "blackout_period"            ? &parsed.blackout_period
                               : e.key == "weight_expiration_period" ? &parsed.weight_expiration_period
                               : e.key == "weight_update_period"     ? &parsed.weight_update_period
                                                                     : nullptr;
            if (target != nullptr) {
                const std::optional<Duration> d = parse_duration(e.value);
                if (!d || *d < Duration::zero()) return bad_config_value(i, e, "a duration such as 10s");
                if (e.key == "weight_update_period" && *d < 100_ms)
                    return bad_config_value(i, e, "a duration of at least 100ms (A58)");
                *target = *d;
            } else if (e.key == "error_utilization_penalty") {
                const std::optional<std::uint64_t> p = parse_permille(e.value);
                if (!p) return bad_config_value(i, e, "a non-negative decimal such as 1.0");
                parsed.error_utilization_penalty_permille = *p;
            } else {
                return unknown_config_key("weighted_round_robin", i, e.key,
                                          "blackout_period, weight_expiration_period, weight_update_period, "
                                          "error_utilization_penalty");
            }
        }
        return PolicyMaker([parsed](ChannelControl& control) -> std::unique_ptr<LbPolicy> {
            return std::make_unique<WeightedRoundRobin>(control, parsed);
        });
    });
}

}  // namespace netsim::policies
