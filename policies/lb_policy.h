// The load-balancing policy interface (gRPC's LoadBalancer): what a user implements to add a
// policy in one file. The channel gives the policy resolver results and errors, exit_idle()
// requests and the state changes of the subchannels the policy created; the policy reports the
// channel's aggregate state with a picker through ChannelControl. Everything runs inside
// simulation events: a policy keeps no clock or randomness of its own (timers go through
// control.sim(), random choices through control.lb_rng(), the stream "lb/<channel>").
#pragma once

#include "policies/connectivity_state.h"
#include "policies/subchannel.h"
#include "sim/app/load_report.h"

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace netsim::policies {

struct PickArgs {
    std::uint32_t rpc = 0;
    std::optional<std::uint64_t> request_hash;  // RpcOptions::request_hash
};

// A picker's answer for one RPC.
struct PickResult {
    enum class Kind : std::uint8_t { complete, queue, fail };
    Kind kind = Kind::queue;
    Subchannel* subchannel = nullptr;  // complete: a READY subchannel of this policy
    std::string error;                 // fail: why (the RPC fails UNAVAILABLE)

    static PickResult complete(Subchannel& s) { return {Kind::complete, &s, {}}; }
    static PickResult queue() { return {}; }
    static PickResult fail(std::string why) { return {Kind::fail, nullptr, std::move(why)}; }
};

// Decides where each RPC goes, for the state it was reported with. Replaced, never mutated,
// when the policy's state changes; the channel re-picks its queued RPCs with each new picker.
class Picker {
public:
    virtual ~Picker() = default;
    virtual PickResult pick(const PickArgs& args) = 0;
};

// The pickers most policies need.
class QueuePicker final : public Picker {
public:
    PickResult pick(const PickArgs&) override { return PickResult::queue(); }
};
class FailPicker final : public Picker {
public:
    explicit FailPicker(std::string why) : why_(std::move(why)) {}
    PickResult pick(const PickArgs&) override { return PickResult::fail(why_); }

private:
    std::string why_;
};
class SubchannelPicker final : public Picker {
public:
    explicit SubchannelPicker(Subchannel& s) : subchannel_(&s) {}
    PickResult pick(const PickArgs&) override { return PickResult::complete(*subchannel_); }

private:
    Subchannel* subchannel_;
};

// What the channel offers its policy.
class ChannelControl {
public:
    virtual ~ChannelControl() = default;
    // A new IDLE subchannel for these addresses, owned by the channel.
    virtual Subchannel& create_subchannel(std::vector<net::SocketAddress> addresses) = 0;
    // Shuts the subchannel down; it stays valid until the current event ends, then is released.
    // Replace any picker that names it in the same event.
    virtual void remove_subchannel(Subchannel& subchannel) = 0;
    // The channel's aggregate state and the picker for it (a `channel.state` record when the
    // state changes).
    virtual void update_state(ConnectivityState state, std::unique_ptr<Picker> picker) = 0;
    // Asks the resolver to resolve again (ResolveNow).
    virtual void request_reresolution() = 0;
    virtual Simulation& sim() = 0;
    // RPCs sent on the subchannel and not ended yet, whatever their end will be (gRFC A48: from
    // the pick to the RPC's end, DEADLINE_EXCEEDED and UNAVAILABLE included).
    virtual std::size_t outstanding_rpcs(const Subchannel& subchannel) const = 0;
    // The policy's random stream, "lb/<channel>".
    virtual Rng& lb_rng() = 0;
    // A trace record of source "<channel>/lb".
    virtual void record(TraceKind kind, std::initializer_list<TraceFieldView> fields) = 0;
};

class LbPolicy {
public:
    virtual ~LbPolicy() = default;
    virtual std::string_view name() const = 0;
    // A resolver result (possibly empty).
    virtual void on_addresses(const std::vector<net::SocketAddress>& addresses) = 0;
    virtual void on_resolver_error(const std::string& reason) = 0;
    // Leave IDLE: an RPC arrived or the user called connect().
    virtual void exit_idle() = 0;
    // A subchannel this policy created changed state (never reported: SHUTDOWN).
    virtual void on_subchannel_state(Subchannel& subchannel, ConnectivityState from, ConnectivityState to) = 0;
    // The load report that followed a response on a READY subchannel (ORCA per-call, gRFC A51);
    // only weighted_round_robin reads them.
    virtual void on_load_report(Subchannel&, const app::LoadReport&) {}
};

}  // namespace netsim::policies
