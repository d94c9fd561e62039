// Serving RPCs on accepted connections (see rpc_responder.h).
#include "sim/app/rpc_responder.h"

#include "sim/app/wire.h"

namespace netsim::app {

using kernel::Fd;

std::string_view connection_end_name(ConnectionEnd end) {
    switch (end) {
        case ConnectionEnd::server_fin: return "server_fin";
        case ConnectionEnd::client_fin: return "client_fin";
        case ConnectionEnd::reset: return "reset";
    }
    return "?";
}

RpcResponder::RpcResponder(Process& owner, Duration service_low, Duration service_high)
    : owner_(owner),
      service_low_(service_low),
      service_high_(service_high),
      service_rng_(owner.sim().rng_stream("service/" + owner.name())) {}

void RpcResponder::adopt(Fd fd) {
    connections_.emplace(fd, Connection{});
    const WireMessage preface{WireKind::preface, 0, owner_.id()};
    (void)owner_.kernel().send(fd, preface.bytes(), preface.encode());
    owner_.kernel().watch(fd, [this](const kernel::SocketNotice& n) { on_notice(n); });
}

void RpcResponder::on_notice(const kernel::SocketNotice& notice) {
    if (!connections_.contains(notice.fd)) return;
    switch (notice.event) {
        case kernel::SocketEvent::readable:
        case kernel::SocketEvent::peer_closed:
            read_requests(notice.fd);
            return;
        case kernel::SocketEvent::reset:
            close(notice.fd, false);
            return;
        default:
            return;
    }
}

void RpcResponder::read_requests(Fd fd) {
    while (connections_.contains(fd)) {
        auto got = owner_.kernel().recv_message(fd);
        if (!got.ok()) {
            if (got.error() != kernel::Errno::eagain) close(fd, false);  // reset, or gone
            return;
        }
        if (got.value().bytes == 0) {
            // The client closed its side: answer nothing more, close ours (a passive close).
            connections_.at(fd).peer_closed = true;
            close(fd, false);
            return;
        }
        const auto message = WireMessage::decode(got.value().message);
        if (!message || message->kind != WireKind::request) continue;
        Connection& c = connections_.at(fd);
        if (c.draining) continue;  // after our GOAWAY: refused, the client sends it elsewhere
        c.last_rpc = message->rpc;
        ++c.in_flight;
        const std::uint32_t rpc = message->rpc;
        owner_.sim().schedule_after(uniform_delay(service_rng_, service_low_, service_high_),
                                    [this, fd, rpc] { answer(fd, rpc); });
    }
}

void RpcResponder::answer(Fd fd, std::uint32_t rpc) {
    auto it = connections_.find(fd);
    if (it == connections_.end()) return;  // the connection went away while the RPC was served
    const WireMessage response{WireKind::response, rpc, owner_.id()};
    if (owner_.kernel().send(fd, response.bytes(), response.encode()).ok()) {
        ++answered_;
        if (load_report_) (void)owner_.kernel().send(fd, LoadReport::bytes, load_report_->encode());
    }
    --it->second.in_flight;
    finish_if_drained(fd);
}

void RpcResponder::close_all() {
    while (!connections_.empty()) close(connections_.begin()->first, false);
}

void RpcResponder::drain_all(ConnectionEnd end) {
    std::vector<std::pair<Fd, std::uint32_t>> fds;
    for (auto& [fd, c] : connections_) {
        c.draining = true;
        c.end = end;
        fds.emplace_back(fd, c.last_rpc);
    }
    for (const auto& [fd, last_rpc] : fds) {
        const WireMessage goaway{WireKind::goaway, last_rpc, owner_.id()};
        (void)owner_.kernel().send(fd, goaway.bytes(), goaway.encode());
        finish_if_drained(fd);
    }
}

void RpcResponder::finish_if_drained(Fd fd) {
    auto it = connections_.find(fd);
    if (it == connections_.end() || !it->second.draining || it->second.in_flight > 0) return;
    switch (it->second.end) {
        case ConnectionEnd::server_fin: close(fd, false); return;
        case ConnectionEnd::reset: close(fd, true); return;
        case ConnectionEnd::client_fin: return;  // read_requests closes on the client's FIN
    }
}

void RpcResponder::close(Fd fd, bool with_reset) {
    if (connections_.erase(fd) == 0) return;
    if (with_reset) (void)owner_.kernel().setsockopt(fd, kernel::SocketOption::linger, 0);
    (void)owner_.kernel().close(fd);
}

}  // namespace netsim::app
