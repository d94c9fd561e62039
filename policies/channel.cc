// The channel: RPC queueing and picking, the policy's control surface, deferred release.
#include "policies/channel.h"

#include <array>

#include "sim/core/check.h"

#include <algorithm>

namespace netsim::policies {

Channel::Channel(app::World& world, net::HostId host, std::string name, ChannelConfig config)
    : Process(world, host, std::move(name)), config_(std::move(config)), source_(this->name() + "/channel"),
      lb_source_(this->name() + "/lb"), subchannel_source_(this->name() + "/subchannel"),
      resolver_(Process::sim(), this->name() + "/resolver"),
      backoff_rng_(Process::sim().rng_stream("backoff/" + this->name())),
      lb_rng_(Process::sim().rng_stream("lb/" + this->name())), picker_(std::make_unique<QueuePicker>()),
      deadlines_(
          Process::sim(), [this](std::uint32_t id) { return rpcs_.contains(id); },
          [this](std::uint32_t id) { finish(id, RpcStatus::deadline_exceeded); }) {
    const PolicyRegistry& registry = config_.registry ? *config_.registry : PolicyRegistry::builtin();
    PolicyLookup found = registry.lookup(config_.policy, config_.policy_config);
    if (auto* error = std::get_if<PolicyConfigError>(&found))
        NETSIM_CHECK_MSG(false, "channel {}: {}", this->name(), error->message);
    sim().record(source_, "channel.create", {{"policy", config_.policy}});
    policy_ = std::get<PolicyMaker>(found)(*this);
    resolver_.add_observer(this);
    if (!config_.addresses.empty()) resolver_.update(config_.addresses);
}

Channel::~Channel() {
    // Members that call back into the channel go first, while it is whole.
    sim().cancel(release_event_);
    policy_.reset();
    released_policy_.reset();
    subchannels_.clear();
    released_subchannels_.clear();
    draining_.clear();
    released_transports_.clear();
}

std::vector<const Subchannel*> Channel::subchannels() const {
    std::vector<const Subchannel*> out;
    for (const auto& [id, s] : subchannels_) out.push_back(s.get());
    return out;
}

// ---- RPCs ------------------------------------------------------------------------------------

std::uint32_t Channel::start_rpc(RpcOptions options, RpcCallback on_done) {
    const std::uint32_t id = next_rpc_++;
    ++started_;
    sim().record<3>(source_, "rpc.start", [&](auto& fields) {
        fields.add("rpc", std::int64_t{id});
        fields.add("wait_for_ready", std::int64_t{options.wait_for_ready ? 1 : 0});
        if (options.deadline != Duration::max()) fields.add("deadline_ns", std::int64_t{options.deadline.count_ns()});
    });
    PendingRpc& rpc = rpcs_.insert(id, PendingRpc{});
    rpc.options = options;
    rpc.started = sim().now();
    rpc.on_done = std::move(on_done);
    if (state_ == ConnectivityState::shutdown) {
        finish(id, RpcStatus::cancelled);
        return id;
    }
    if (options.deadline != Duration::max()) deadlines_.add(sim().now() + options.deadline, id);
    if (state_ == ConnectivityState::idle) exit_idle();  // the first RPC wakes the channel
    try_pick(id);
    return id;
}

void Channel::try_pick(std::uint32_t id) {
    PendingRpc* rpc = rpcs_.find(id);
    if (rpc == nullptr || rpc->sent) return;
    const PickResult result = picker_->pick(PickArgs{id, rpc->options.request_hash});
    switch (result.kind) {
        case PickResult::Kind::complete: {
            Subchannel* s = result.subchannel;
            if (s != nullptr && s->state() == ConnectivityState::ready) {
                const bool sent = s->start_rpc(id);
                // Callbacks under the send may end or start RPCs, which can move the entries.
                rpc = rpcs_.find(id);
                if (rpc == nullptr) return;
                if (sent) {
                    rpc->sent = true;
                    rpc->address = s->connected_address();
                    rpc->subchannel = s->id();
                    count_sent(s->id());
                    sim().record<3>(source_, "rpc.sent", [&](auto& fields) {
                        fields.add("rpc", std::int64_t{id});
                        fields.add("subchannel", std::int64_t{s->id().value});
                        fields.add("address", rpc->address->trace());
                    });
                    return;
                }
            }
            // The subchannel could not take it (its loss is on the way): wait for the next picker.
            [[fallthrough]];
        }
        case PickResult::Kind::queue:
            // A queueing picker in TRANSIENT_FAILURE still fails fail-fast RPCs.
            if (state_ == ConnectivityState::transient_failure && !rpc->options.wait_for_ready)
                finish(id, RpcStatus::unavailable);
            return;
        case PickResult::Kind::fail:
            // Wait-for-ready RPCs wait through TRANSIENT_FAILURE.
            if (!rpc->options.wait_for_ready) finish(id, RpcStatus::unavailable);
            return;
    }
}

void Channel::repick_queued() {
    std::vector<std::uint32_t> queued;
    rpcs_.for_each([&](std::uint64_t id, const PendingRpc& rpc) {
        if (!rpc.sent) queued.push_back(static_cast<std::uint32_t>(id));
    });
    for (std::uint32_t id : queued) {
        if (state_ == ConnectivityState::shutdown) return;
        try_pick(id);
    }
}

void Channel::finish(std::uint32_t id, RpcStatus status, kernel::ProcessId server) {
    PendingRpc* found = rpcs_.find(id);
    if (found == nullptr) return;
    PendingRpc rpc = std::move(*found);
    rpcs_.erase(id);
    if (rpc.sent) uncount_sent(rpc.subchannel);
    ++finished_;
    const RpcResult result{id, status, rpc.started, sim().now(), server, rpc.address};
    sim().record<5>(source_, "rpc.done", [&](auto& fields) {
        fields.add("rpc", std::int64_t{id});
        fields.add("status", status_name(status));
        fields.add("latency_ns", std::int64_t{(result.finished - result.started).count_ns()});
        fields.add("server", std::int64_t{server.value});
        if (rpc.address) fields.add("address", rpc.address->trace());
        else fields.add("address", std::string_view{});
    });
    if (rpc.on_done) rpc.on_done(result);
}

void Channel::on_rpc_response(std::uint32_t rpc, kernel::ProcessId server) {
    finish(rpc, RpcStatus::ok, server);  // no-op for an RPC already past its deadline
}

void Channel::on_rpcs_lost(std::span<const std::uint32_t> rpcs) {
    for (std::uint32_t id : rpcs) finish(id, RpcStatus::unavailable);
}

void Channel::on_rpcs_refused(std::span<const std::uint32_t> rpcs) {
    const std::vector<std::uint32_t> ids(rpcs.begin(), rpcs.end());
    for (std::uint32_t id : ids) {
        PendingRpc* rpc = rpcs_.find(id);
        if (rpc == nullptr || !rpc->sent) continue;
        uncount_sent(rpc->subchannel);
        rpc->sent = false;
        rpc->address.reset();
        sim().record(source_, "rpc.transparent_retry", {{"rpc", std::int64_t{id}}});
        if (state_ == ConnectivityState::idle) exit_idle();  // a new pick leaves IDLE, as a new RPC does
        try_pick(id);
    }
}

// ---- state -----------------------------------------------------------------------------------

void Channel::connect() {
    if (state_ == ConnectivityState::idle) exit_idle();
}

void Channel::exit_idle() {
    if (idle_mode_) {
        // grpc-go's exitIdleMode: a new channel's policy hears its first resolver result only
        // now, so nothing connects before the first RPC or connect().
        idle_mode_ = false;
        sim().record(source_, "channel.exit_idle_mode", {});
        if (held_error_) policy_->on_resolver_error(*held_error_);
        else if (held_addresses_) policy_->on_addresses(*held_addresses_);
        held_addresses_.reset();
        held_error_.reset();
        if (state_ != ConnectivityState::idle) return;
    }
    policy_->exit_idle();
}

void Channel::update_state(ConnectivityState state, std::unique_ptr<Picker> picker) {
    if (state_ == ConnectivityState::shutdown) return;  // a policy finishing its last call
    NETSIM_CHECK(picker != nullptr && state != ConnectivityState::shutdown);
    picker_ = std::move(picker);
    set_state(state);
    repick_queued();
}

void Channel::set_state(ConnectivityState next) {
    if (next == state_) return;
    const ConnectivityState from = state_;
    state_ = next;
    sim().record(source_, "channel.state",
                 {{"from", state_label(from)}, {"to", state_label(next)}});
    // A callback may register another: index, do not iterate.
    for (std::size_t i = 0; i < state_callbacks_.size(); ++i) state_callbacks_[i](from, next);
}

void Channel::shutdown() {
    if (state_ == ConnectivityState::shutdown) return;
    released_policy_ = std::move(policy_);
    picker_ = std::make_unique<FailPicker>("channel shut down");
    for (auto& [id, s] : subchannels_) {
        s->shutdown();  // a transport with RPCs in flight comes back through adopt_draining
        released_subchannels_.push_back(std::move(s));
    }
    subchannels_.clear();
    for (auto& t : draining_) {
        t->close();
        released_transports_.push_back(std::move(t));
    }
    draining_.clear();
    schedule_release();
    set_state(ConnectivityState::shutdown);
    for (std::uint64_t id : rpcs_.keys()) finish(static_cast<std::uint32_t>(id), RpcStatus::cancelled);
}

// ---- the policy's control surface ------------------------------------------------------------

Subchannel& Channel::create_subchannel(std::vector<net::SocketAddress> addresses) {
    const SubchannelId id{next_subchannel_++};
    sim().record(subchannel_source_, "subchannel.create",
                 {{"subchannel", std::int64_t{id.value}}, {"addresses", format_address_list(addresses)}});
    SubchannelHost& host = *this;
    auto s = std::make_unique<Subchannel>(host, id, std::move(addresses), config_.backoff, backoff_rng_, name());
    Subchannel& ref = *s;
    subchannels_.emplace(id, std::move(s));
    if (state_ == ConnectivityState::shutdown) remove_subchannel(ref);
    return ref;
}

void Channel::remove_subchannel(Subchannel& subchannel) {
    auto it = subchannels_.find(subchannel.id());
    NETSIM_CHECK_MSG(it != subchannels_.end() && it->second.get() == &subchannel, "subchannel {} is not live",
                     subchannel.id());
    subchannel.shutdown();
    released_subchannels_.push_back(std::move(it->second));
    subchannels_.erase(it);
    schedule_release();
}

std::size_t Channel::outstanding_rpcs(const Subchannel& subchannel) const {
    const std::uint32_t i = subchannel.id().value;
    return i < outstanding_.size() ? outstanding_[i] : 0;
}

void Channel::count_sent(SubchannelId s) {
    if (s.value >= outstanding_.size()) outstanding_.resize(std::size_t{s.value} + 1, 0);
    ++outstanding_[s.value];
}

void Channel::uncount_sent(SubchannelId s) {
    NETSIM_CHECK(s.value < outstanding_.size() && outstanding_[s.value] > 0);
    --outstanding_[s.value];
}

void Channel::record(TraceKind kind, std::initializer_list<TraceFieldView> fields) {
    sim().record(lb_source_, kind, fields);
}

void Channel::on_subchannel_state(Subchannel& subchannel, ConnectivityState from, ConnectivityState to) {
    if (policy_) policy_->on_subchannel_state(subchannel, from, to);
}

void Channel::on_load_report(Subchannel& subchannel, const app::LoadReport& report) {
    if (policy_) policy_->on_load_report(subchannel, report);
}

void Channel::on_resolved(const std::vector<net::SocketAddress>& addresses) {
    if (idle_mode_) {
        held_addresses_ = addresses;
        held_error_.reset();
        return;
    }
    if (policy_) policy_->on_addresses(addresses);
}

void Channel::on_resolver_error(const std::string& reason) {
    if (idle_mode_) {
        held_error_ = reason;
        return;
    }
    if (policy_) policy_->on_resolver_error(reason);
}

// ---- transports ------------------------------------------------------------------------------

void Channel::adopt_draining(std::unique_ptr<ClientTransport> transport) {
    transport->set_observer(*this);
    if (state_ == ConnectivityState::shutdown) {
        transport->close();
        release(std::move(transport));
        return;
    }
    draining_.push_back(std::move(transport));
}

void Channel::release(std::unique_ptr<ClientTransport> transport) {
    released_transports_.push_back(std::move(transport));
    schedule_release();
}

void Channel::on_transport_response(ClientTransport&, std::uint32_t rpc, kernel::ProcessId server) {
    on_rpc_response(rpc, server);
}

void Channel::on_transport_closed(ClientTransport& transport, const TransportClosed& closed) {
    auto it = std::find_if(draining_.begin(), draining_.end(), [&](const auto& t) { return t.get() == &transport; });
    NETSIM_CHECK(it != draining_.end());
    release(std::move(*it));
    draining_.erase(it);
    on_rpcs_lost(closed.lost_rpcs);
}

void Channel::schedule_release() {
    if (sim().is_pending(release_event_)) return;
    release_event_ = sim().schedule_after(Duration::zero(), [this] {
        released_policy_.reset();
        released_subchannels_.clear();
        released_transports_.clear();
    });
}

}  // namespace netsim::policies
