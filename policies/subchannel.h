// A subchannel: a list of addresses (one for pick_first_leaf and round_robin, the whole list for
// classic pick_first), its connectivity state, its connection backoff and at most one live
// transport. One connection attempt walks the list in order until an address is READY or the
// attempt's deadline passes; after a failed attempt it is TRANSIENT_FAILURE until the backoff
// deadline, then IDLE (as grpc-go's addrConn), waiting for the policy to ask again. A READY
// subchannel whose connection is lost, or that hears GOAWAY, goes IDLE. Every change is a
// `subchannel.state` record (subchannel, from, to, address) and is reported to the host.
#pragma once

#include "policies/backoff.h"
#include "policies/client_transport.h"
#include "policies/connectivity_state.h"

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace netsim::policies {

class Subchannel;

struct SubchannelId {
    std::uint32_t value = 0;
    auto operator<=>(const SubchannelId&) const = default;
};

// What a subchannel needs from its channel.
class SubchannelHost {
public:
    virtual ~SubchannelHost() = default;
    virtual app::Process& process() = 0;
    virtual void on_subchannel_state(Subchannel& subchannel, ConnectivityState from, ConnectivityState to) = 0;
    virtual void on_rpc_response(std::uint32_t rpc, kernel::ProcessId server) = 0;
    virtual void on_rpcs_lost(std::span<const std::uint32_t> rpcs) = 0;
    // RPCs a GOAWAY refused (never served): to be picked again (gRFC A6 transparent retry).
    virtual void on_rpcs_refused(std::span<const std::uint32_t> rpcs) = 0;
    // A load report from the server of this subchannel's READY connection.
    virtual void on_load_report(Subchannel& subchannel, const app::LoadReport& report) = 0;
    // A transport still draining in-flight RPCs (GOAWAY, or its subchannel shut down): the host
    // observes it until it closes.
    virtual void adopt_draining(std::unique_ptr<ClientTransport> transport) = 0;
    // A closed transport, destroyed by the host later (never inside the call that closed it).
    virtual void release(std::unique_ptr<ClientTransport> transport) = 0;
};

class Subchannel final : public TransportObserver {
public:
    // `backoff_rng` must outlive the subchannel (the channel's "backoff/<channel>" stream).
    Subchannel(SubchannelHost& host, SubchannelId id, std::vector<net::SocketAddress> addresses,
               const BackoffConfig& backoff, Rng& backoff_rng, std::string trace_prefix);
    Subchannel(const Subchannel&) = delete;
    Subchannel& operator=(const Subchannel&) = delete;
    ~Subchannel() override;

    SubchannelId id() const { return id_; }
    ConnectivityState state() const { return state_; }
    const std::vector<net::SocketAddress>& addresses() const { return addresses_; }
    // The address of the READY connection.
    std::optional<net::SocketAddress> connected_address() const;
    // The address being tried, connected, or last tried.
    const net::SocketAddress& current_address() const { return addresses_[index_]; }

    // gRPC's Connect(): starts an attempt when IDLE; otherwise nothing.
    void request_connection();
    // Replaces the address list. A READY connection whose address is still listed is kept; any
    // other connection or attempt is dropped and the subchannel is IDLE again.
    void update_addresses(std::vector<net::SocketAddress> addresses);
    // SHUTDOWN: the attempt is dropped, a READY transport drains its in-flight RPCs through the
    // host. Not reported to the host (the policy asked for it).
    void shutdown();
    // Sends an RPC on the READY transport; false if not READY or the send failed.
    bool start_rpc(std::uint32_t rpc);

    // TransportObserver
    void on_transport_ready(ClientTransport& transport) override;
    void on_transport_goaway(ClientTransport& transport) override;
    void on_transport_refused(ClientTransport& transport, std::span<const std::uint32_t> rpcs) override;
    void on_transport_load_report(ClientTransport& transport, const app::LoadReport& report) override;
    void on_transport_response(ClientTransport& transport, std::uint32_t rpc, kernel::ProcessId server) override;
    void on_transport_closed(ClientTransport& transport, const TransportClosed& closed) override;

private:
    void connect_current();
    void attempt_failed();
    void drop_transport();
    void set_state(ConnectivityState next, std::string_view why);

    SubchannelHost& host_;
    SubchannelId id_;
    std::vector<net::SocketAddress> addresses_;
    ConnectionBackoff backoff_;
    std::string source_;
    std::string transport_source_;
    ConnectivityState state_ = ConnectivityState::idle;
    std::size_t index_ = 0;  // the address of this attempt
    Instant attempt_deadline_;
    std::unique_ptr<ClientTransport> transport_;
    EventId retry_timer_;
};

}  // namespace netsim::policies

template <>
struct fmt::formatter<netsim::policies::SubchannelId> : fmt::formatter<std::uint32_t> {
    auto format(netsim::policies::SubchannelId id, format_context& ctx) const {
        return fmt::formatter<std::uint32_t>::format(id.value, ctx);
    }
};
