// The client transport: connect, preface, requests and responses, GOAWAY, and its one end.
#include "policies/client_transport.h"

#include <array>

#include "sim/app/wire.h"
#include "sim/core/check.h"

#include <algorithm>

namespace netsim::policies {

using kernel::Errno;
using kernel::SocketEvent;

std::string_view phase_name(ClientTransport::Phase phase) {
    switch (phase) {
        case ClientTransport::Phase::created: return "created";
        case ClientTransport::Phase::connecting: return "connecting";
        case ClientTransport::Phase::handshaking: return "handshaking";
        case ClientTransport::Phase::ready: return "ready";
        case ClientTransport::Phase::draining: return "draining";
        case ClientTransport::Phase::closed: return "closed";
    }
    return "?";
}

ClientTransport::ClientTransport(app::Process& owner, TransportObserver& observer, net::SocketAddress address,
                                 std::string trace_source)
    : owner_(owner), observer_(&observer), address_(address), source_(std::move(trace_source)) {}

ClientTransport::~ClientTransport() { release_socket(); }

void ClientTransport::connect(Instant deadline) {
    NETSIM_CHECK_MSG(phase_ == Phase::created, "transport to {} connected twice", address_);
    phase_ = Phase::connecting;
    Simulation& sim = owner_.sim();
    kernel::Result<kernel::Fd> fd = owner_.open_socket(address_.ip.family());
    Errno result = fd.error();
    if (fd) {
        fd_ = fd.value();
        owner_.kernel().watch(fd_, [this](const kernel::SocketNotice& n) { on_notice(n); });
        result = owner_.kernel().connect(fd_, address_);
    }
    record("transport.connect", {{"address", address_.trace()},
                                 {"fd", std::int64_t{fd_.value}},
                                 {"deadline", deadline.since_start().count_ns()}});
    if (result != Errno::einprogress && result != Errno::ok) {
        // Reported from an event of its own, like every other end.
        timer_ = sim.schedule_after(Duration::zero(), [this, result] { finish(false, "connect_failed", result); });
        return;
    }
    timer_ = sim.schedule_at(std::max(deadline, sim.now()), [this] { finish(false, "timeout", Errno::etimedout); });
}

bool ClientTransport::send_request(std::uint32_t rpc) {
    if (phase_ != Phase::ready) return false;
    const app::WireMessage m{app::WireKind::request, rpc, {}};
    if (!owner_.kernel().send(fd_, m.bytes(), m.encode()).ok()) return false;
    in_flight_.push_back(rpc);
    return true;
}

void ClientTransport::drain() {
    if (phase_ == Phase::closed) return;
    if ((phase_ == Phase::ready || phase_ == Phase::draining) && !in_flight_.empty()) {
        phase_ = Phase::draining;
        record("transport.drain", {{"in_flight", static_cast<std::int64_t>(in_flight_.size())}});
        return;
    }
    close();
}

void ClientTransport::close() {
    if (phase_ == Phase::closed) return;
    const Phase was = phase_;
    release_socket();
    record("transport.closed", {{"address", address_.trace()},
                                {"why", std::string("local")},
                                {"phase", std::string(phase_name(was))}});
}

void ClientTransport::on_notice(const kernel::SocketNotice& notice) {
    if (phase_ == Phase::closed) return;
    const bool was_ready = phase_ == Phase::ready || phase_ == Phase::draining;
    switch (notice.event) {
        case SocketEvent::connected:
            // TCP is up; READY waits for the server's preface (gRPC: SETTINGS received).
            if (phase_ == Phase::connecting) phase_ = Phase::handshaking;
            return;
        case SocketEvent::connect_failed:
            finish(false, "connect_failed", notice.error);
            return;
        case SocketEvent::readable:
        case SocketEvent::peer_closed:
            read_messages();
            return;
        case SocketEvent::reset:
            finish(was_ready, "reset", notice.error);
            return;
        case SocketEvent::acceptable:
            return;
    }
}

void ClientTransport::read_messages() {
    while (phase_ != Phase::closed) {
        const bool was_ready = phase_ == Phase::ready || phase_ == Phase::draining;
        kernel::Result<kernel::ReceivedMessage> m = owner_.kernel().recv_message(fd_);
        if (!m) {
            if (m.error() == Errno::eagain || m.error() == Errno::enotconn) return;
            finish(was_ready, "reset", m.error());
            return;
        }
        if (m.value().bytes == 0) {
            // EOF: before the preface this is a failed attempt, after it a lost connection.
            finish(was_ready, "eof", Errno::ok);
            return;
        }
        on_message(m.value().message);  // may close this transport: the loop looks again
    }
}

void ClientTransport::on_message(std::uint64_t word) {
    if (const std::optional<app::LoadReport> report = app::LoadReport::decode(word)) {
        if (phase_ == Phase::ready || phase_ == Phase::draining) observer_->on_transport_load_report(*this, *report);
        return;
    }
    const std::optional<app::WireMessage> m = app::WireMessage::decode(word);
    if (!m) return;  // bytes that are no frame of ours
    switch (m->kind) {
        case app::WireKind::preface:
            if (phase_ != Phase::connecting && phase_ != Phase::handshaking) return;
            phase_ = Phase::ready;
            owner_.sim().cancel(timer_);
            record("transport.ready", {{"address", address_.trace()}, {"server", std::int64_t{m->server.value}}});
            observer_->on_transport_ready(*this);
            return;
        case app::WireKind::response: {
            auto it = std::find(in_flight_.begin(), in_flight_.end(), m->rpc);
            if (it == in_flight_.end()) return;
            in_flight_.erase(it);
            observer_->on_transport_response(*this, m->rpc, m->server);
            if (phase_ == Phase::draining && in_flight_.empty()) finish(true, "drained", Errno::ok);
            return;
        }
        case app::WireKind::goaway: {
            if (phase_ != Phase::ready) return;
            phase_ = Phase::draining;
            // RPCs sent after the server's last one (ids grow in sending order) were not taken.
            std::vector<std::uint32_t> refused;
            std::erase_if(in_flight_, [&](std::uint32_t rpc) {
                if (rpc <= m->rpc) return false;
                refused.push_back(rpc);
                return true;
            });
            record("transport.goaway", {{"address", address_.trace()},
                                        {"in_flight", static_cast<std::int64_t>(in_flight_.size())},
                                        {"refused", static_cast<std::int64_t>(refused.size())}});
            observer_->on_transport_goaway(*this);
            if (!refused.empty()) observer_->on_transport_refused(*this, refused);
            if (phase_ == Phase::draining && in_flight_.empty()) finish(true, "drained", Errno::ok);
            return;
        }
        case app::WireKind::request:
        case app::WireKind::load_report:
            return;
    }
}

void ClientTransport::finish(bool was_ready, std::string_view why, Errno error) {
    TransportClosed closed{was_ready, why, error, std::move(in_flight_)};
    in_flight_.clear();
    release_socket();
    const std::array<TraceFieldView, 4> fields{{{"address", address_.trace()},
                                                {"why", why},
                                                {"lost_rpcs", static_cast<std::int64_t>(closed.lost_rpcs.size())},
                                                {"error", kernel::errno_label(error)}}};
    owner_.sim().record(source_, "transport.closed", std::span(fields.data(), error != Errno::ok ? 4 : 3));
    observer_->on_transport_closed(*this, closed);
}

void ClientTransport::release_socket() {
    owner_.sim().cancel(timer_);
    if (fd_.value >= 0) (void)owner_.kernel().close(fd_);
    fd_ = kernel::Fd{};
    phase_ = Phase::closed;
}

void ClientTransport::record(TraceKind kind, std::initializer_list<TraceFieldView> fields) {
    owner_.sim().record(source_, kind, fields);
}

}  // namespace netsim::policies
