// A gRPC-like client channel as a simulated process: it owns a static resolver, one LB policy
// (by registry name) and the policy's subchannels, and runs unary RPCs over them. RPCs wait while
// the picker queues, fail fast with UNAVAILABLE in TRANSIENT_FAILURE unless wait-for-ready, end
// with DEADLINE_EXCEEDED at their deadline and with UNAVAILABLE when their connection is lost;
// every RPC ends with exactly one RpcResult (an `rpc.done` record). An RPC a GOAWAY refused (sent
// after the server's last-stream-id, so never served) is picked again (gRFC A6 transparent retry). The channel's state is what
// its policy reports (`channel.state` records, on_state() callbacks); shutdown() releases every
// socket and cancels what is pending.
//
// Objects the policy or a callback drops (subchannels, transports, the policy itself at
// shutdown) are released in a later event, never under the call that dropped them, so no
// handler runs on a destroyed object. Handlers capture `this` and small ids only.
#pragma once

#include "policies/backoff.h"
#include "policies/lb_policy.h"
#include "policies/policy_registry.h"
#include "policies/resolver.h"
#include "policies/rpc.h"
#include "policies/subchannel.h"
#include "sim/app/process.h"
#include "sim/core/deadline_queue.h"
#include "sim/core/sequence_map.h"

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace netsim::policies {

struct ChannelConfig {
    std::string policy = "pick_first";
    PolicyConfig policy_config;
    // Where `policy` is looked up; null: PolicyRegistry::builtin(). Must outlive the channel.
    const PolicyRegistry* registry = nullptr;
    BackoffConfig backoff;
    // Published by the resolver when the channel is built, if not empty.
    std::vector<net::SocketAddress> addresses;
};

class Channel final : public app::Process,
                      private ChannelControl,
                      private SubchannelHost,
                      private ResolverObserver,
                      private TransportObserver {
public:
    using RpcCallback = std::function<void(const RpcResult&)>;
    using StateCallback = std::function<void(ConnectivityState from, ConnectivityState to)>;

    // The policy and its configuration must be valid (check them with the registry first: a
    // bad one here is a bug of the caller and aborts).
    Channel(app::World& world, net::HostId host, std::string name, ChannelConfig config);
    ~Channel() override;

    StaticResolver& resolver() { return resolver_; }
    ConnectivityState state() const { return state_; }
    std::string_view policy_name() const { return config_.policy; }
    // Called after every change of the channel's state, in registration order.
    void on_state(StateCallback callback) { state_callbacks_.push_back(std::move(callback)); }

    // Starts a unary RPC; `on_done` hears its one result, before this returns when it fails at
    // once (fail-fast in TRANSIENT_FAILURE, or the channel is shut down). Returns the RPC's id
    // (1, 2, ... per channel).
    std::uint32_t start_rpc(RpcOptions options, RpcCallback on_done = {});
    // Leaves IDLE (gRPC's Connect / exit idle).
    void connect();
    // SHUTDOWN: every socket is closed, every pending RPC ends CANCELLED, later RPCs too.
    void shutdown();

    std::uint64_t rpcs_started() const { return started_; }
    std::uint64_t rpcs_finished() const { return finished_; }
    std::size_t rpcs_pending() const { return rpcs_.size(); }
    // RPCs sent on the subchannel and not ended yet (what least_request compares).
    std::size_t outstanding_rpcs(const Subchannel& subchannel) const override;
    // The live subchannels, by id.
    std::vector<const Subchannel*> subchannels() const;

    Simulation& sim() override { return Process::sim(); }

private:
    struct PendingRpc {
        RpcOptions options;
        Instant started;
        RpcCallback on_done;
        bool sent = false;
        std::optional<net::SocketAddress> address;
        SubchannelId subchannel;  // sent: the one it was sent on
    };

    // ChannelControl
    Subchannel& create_subchannel(std::vector<net::SocketAddress> addresses) override;
    void remove_subchannel(Subchannel& subchannel) override;
    void update_state(ConnectivityState state, std::unique_ptr<Picker> picker) override;
    void request_reresolution() override { resolver_.request_reresolution(); }
    Rng& lb_rng() override { return lb_rng_; }
    void record(TraceKind kind, std::initializer_list<TraceFieldView> fields) override;

    // SubchannelHost
    app::Process& process() override { return *this; }
    void on_subchannel_state(Subchannel& subchannel, ConnectivityState from, ConnectivityState to) override;
    void on_rpc_response(std::uint32_t rpc, kernel::ProcessId server) override;
    void on_rpcs_lost(std::span<const std::uint32_t> rpcs) override;
    void on_rpcs_refused(std::span<const std::uint32_t> rpcs) override;
    void on_load_report(Subchannel& subchannel, const app::LoadReport& report) override;
    void adopt_draining(std::unique_ptr<ClientTransport> transport) override;
    void release(std::unique_ptr<ClientTransport> transport) override;

    // ResolverObserver
    void on_resolved(const std::vector<net::SocketAddress>& addresses) override;
    void on_resolver_error(const std::string& reason) override;

    // TransportObserver, for draining transports
    void on_transport_ready(ClientTransport&) override {}
    void on_transport_goaway(ClientTransport&) override {}
    void on_transport_refused(ClientTransport&, std::span<const std::uint32_t> rpcs) override { on_rpcs_refused(rpcs); }
    void on_transport_load_report(ClientTransport&, const app::LoadReport&) override {}  // a draining one: no longer picked
    void on_transport_response(ClientTransport& transport, std::uint32_t rpc, kernel::ProcessId server) override;
    void on_transport_closed(ClientTransport& transport, const TransportClosed& closed) override;

    void set_state(ConnectivityState next);
    // Leaves IDLE: the first time, hands the policy the resolver result held until now.
    void exit_idle();
    void try_pick(std::uint32_t rpc);
    void repick_queued();
    void finish(std::uint32_t rpc, RpcStatus status, kernel::ProcessId server = {});
    void schedule_release();

    ChannelConfig config_;
    TraceSource source_;
    TraceSource lb_source_;          // "<channel>/lb"
    std::string subchannel_source_;  // "<channel>/subchannel"
    StaticResolver resolver_;
    Rng backoff_rng_;
    Rng lb_rng_;
    std::unique_ptr<LbPolicy> policy_;
    std::unique_ptr<Picker> picker_;
    ConnectivityState state_ = ConnectivityState::idle;
    // A new channel is in idle mode until its first RPC or connect(): resolver results are held,
    // not given to the policy (grpc-go ClientConn idleness; gRPC connectivity-semantics IDLE).
    bool idle_mode_ = true;
    std::optional<std::vector<net::SocketAddress>> held_addresses_;
    std::optional<std::string> held_error_;
    std::vector<StateCallback> state_callbacks_;
    std::map<SubchannelId, std::unique_ptr<Subchannel>> subchannels_;
    std::uint32_t next_subchannel_ = 1;
    std::vector<std::unique_ptr<ClientTransport>> draining_;
    SequenceMap<PendingRpc> rpcs_;  // by id: queued ones are re-picked in start order
    // Every RPC's deadline behind one event; an RPC that ended is skipped.
    DeadlineQueue deadlines_;
    // Sent RPCs not ended, by subchannel id (ids count up from 1).
    std::vector<std::size_t> outstanding_;
    void count_sent(SubchannelId s);
    void uncount_sent(SubchannelId s);
    std::uint32_t next_rpc_ = 1;
    std::uint64_t started_ = 0;
    std::uint64_t finished_ = 0;
    // Dropped objects, released by the next `release_event_`.
    std::vector<std::unique_ptr<Subchannel>> released_subchannels_;
    std::vector<std::unique_ptr<ClientTransport>> released_transports_;
    std::unique_ptr<LbPolicy> released_policy_;
    EventId release_event_;
};

}  // namespace netsim::policies
