// The subchannel's state machine: attempts over its address list, backoff, READY, loss.
#include "policies/subchannel.h"

#include "sim/core/check.h"

#include <algorithm>

namespace netsim::policies {

Subchannel::Subchannel(SubchannelHost& host, SubchannelId id, std::vector<net::SocketAddress> addresses,
                       const BackoffConfig& backoff, Rng& backoff_rng, std::string trace_prefix)
    : host_(host), id_(id), addresses_(std::move(addresses)), backoff_(backoff, backoff_rng),
      source_(trace_prefix + "/subchannel"), transport_source_(trace_prefix + "/transport") {
    NETSIM_CHECK_MSG(!addresses_.empty(), "subchannel {} without addresses", id_);
}

Subchannel::~Subchannel() { host_.process().sim().cancel(retry_timer_); }

std::optional<net::SocketAddress> Subchannel::connected_address() const {
    if (state_ != ConnectivityState::ready || !transport_) return std::nullopt;
    return transport_->address();
}

void Subchannel::request_connection() {
    if (state_ != ConnectivityState::idle) return;
    index_ = 0;
    attempt_deadline_ = backoff_.start_attempt(host_.process().sim().now());
    connect_current();
    set_state(ConnectivityState::connecting, "connect");
}

void Subchannel::update_addresses(std::vector<net::SocketAddress> addresses) {
    NETSIM_CHECK_MSG(!addresses.empty(), "subchannel {} given no addresses", id_);
    if (addresses == addresses_ || state_ == ConnectivityState::shutdown) return;
    const std::optional<net::SocketAddress> connected = connected_address();
    addresses_ = std::move(addresses);
    switch (state_) {
        case ConnectivityState::idle:
        case ConnectivityState::transient_failure:
        case ConnectivityState::shutdown:
            // Not connecting: the next attempt walks the new list (grpc-go addrConn.updateAddrs).
            index_ = 0;
            return;
        case ConnectivityState::ready: {
            auto kept = std::find(addresses_.begin(), addresses_.end(), *connected);
            if (kept != addresses_.end()) {
                // Still listed, at whatever position: the connection stays.
                index_ = static_cast<std::size_t>(kept - addresses_.begin());
                return;
            }
            // Connected to an address no longer listed: a fresh attempt over the new list.
            drop_transport();
            index_ = 0;
            attempt_deadline_ = backoff_.start_attempt(host_.process().sim().now());
            connect_current();
            set_state(ConnectivityState::connecting, "address_removed");
            return;
        }
        case ConnectivityState::connecting:
            // Restart the walk over the new list within the same attempt.
            drop_transport();
            index_ = 0;
            connect_current();
            return;
    }
}

void Subchannel::shutdown() {
    if (state_ == ConnectivityState::shutdown) return;
    host_.process().sim().cancel(retry_timer_);
    drop_transport();
    set_state(ConnectivityState::shutdown, "shutdown");
}

bool Subchannel::start_rpc(std::uint32_t rpc) {
    return state_ == ConnectivityState::ready && transport_ && transport_->send_request(rpc);
}

void Subchannel::on_transport_ready(ClientTransport& transport) {
    if (&transport != transport_.get()) return;
    backoff_.reset();  // a successful connection resets the backoff
    set_state(ConnectivityState::ready, "preface");
}

void Subchannel::on_transport_goaway(ClientTransport& transport) {
    if (&transport != transport_.get()) return;
    // No new RPCs on it; in-flight ones finish on the transport the channel now watches.
    host_.adopt_draining(std::move(transport_));
    set_state(ConnectivityState::idle, "goaway");
}

void Subchannel::on_transport_refused(ClientTransport&, std::span<const std::uint32_t> rpcs) {
    host_.on_rpcs_refused(rpcs);
}

void Subchannel::on_transport_load_report(ClientTransport& transport, const app::LoadReport& report) {
    if (&transport == transport_.get() && state_ == ConnectivityState::ready) host_.on_load_report(*this, report);
}

void Subchannel::on_transport_response(ClientTransport&, std::uint32_t rpc, kernel::ProcessId server) {
    host_.on_rpc_response(rpc, server);
}

void Subchannel::on_transport_closed(ClientTransport& transport, const TransportClosed& closed) {
    NETSIM_CHECK(&transport == transport_.get());
    host_.release(std::move(transport_));
    if (!closed.lost_rpcs.empty()) host_.on_rpcs_lost(closed.lost_rpcs);
    if (state_ == ConnectivityState::shutdown) return;  // the lost RPCs' callbacks may shut us down
    if (closed.was_ready)
        set_state(ConnectivityState::idle, closed.why);  // READY lost goes IDLE, never CONNECTING
    else
        attempt_failed();
}

void Subchannel::connect_current() {
    transport_ = std::make_unique<ClientTransport>(host_.process(), *this, addresses_[index_], transport_source_);
    transport_->connect(attempt_deadline_);
}

void Subchannel::attempt_failed() {
    Simulation& sim = host_.process().sim();
    if (index_ + 1 < addresses_.size() && sim.now() < attempt_deadline_) {
        // Classic pick_first: the next address, within the same attempt and deadline.
        ++index_;
        connect_current();
        return;
    }
    // Every address failed: wait until the backoff deadline, then IDLE until asked again.
    retry_timer_ = sim.schedule_at(std::max(sim.now(), backoff_.retry_at()), [this] {
        set_state(ConnectivityState::idle, "backoff_done");
    });
    set_state(ConnectivityState::transient_failure, "attempt_failed");
}

void Subchannel::drop_transport() {
    if (!transport_) return;
    transport_->drain();  // closes at once unless RPCs are in flight
    if (transport_->is_closed())
        host_.release(std::move(transport_));
    else
        host_.adopt_draining(std::move(transport_));
}

void Subchannel::set_state(ConnectivityState next, std::string_view why) {
    if (state_ == next || state_ == ConnectivityState::shutdown) return;
    const ConnectivityState from = state_;
    state_ = next;
    host_.process().sim().record(source_, "subchannel.state",
                                 {{"subchannel", std::int64_t{id_.value}},
                                  {"from", state_label(from)},
                                  {"to", state_label(next)},
                                  {"address", current_address().trace()},
                                  {"why", std::string(why)}});
    if (next != ConnectivityState::shutdown) host_.on_subchannel_state(*this, from, next);
}

}  // namespace netsim::policies
