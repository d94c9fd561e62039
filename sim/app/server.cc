// The server's lifecycle over the kernel's socket API (see server.h).
#include "sim/app/server.h"

#include <utility>

namespace netsim::app {

using kernel::Errno;
using kernel::Fd;
using kernel::SocketOption;

std::string_view server_phase_name(ServerPhase phase) {
    switch (phase) {
        case ServerPhase::down: return "down";
        case ServerPhase::serving: return "serving";
        case ServerPhase::paused: return "paused";
        case ServerPhase::stopped_holding_port: return "stopped_holding_port";
    }
    return "?";
}

Server::Server(World& world, net::HostId host, std::string name, ServerConfig config)
    : Process(world, host, std::move(name)),
      config_(config),
      responder_(*this, config.service_low, config.service_high),
      graceful_rng_(sim().rng_stream("graceful/" + this->name())) {
    responder_.set_load_report(config_.load_report);
}

void Server::record(const char* kind, Errno result, net::Port port) {
    sim().record(name(), kind,
                 {{"result", kernel::errno_label(result)},
                  {"port", std::int64_t{port}},
                  {"listener", std::string(listener_strategy_name(config_.listener))}});
}

void Server::start(Done done) {
    if (phase_ == ServerPhase::stopped_holding_port) {
        // restartable: the listening socket never went away; serve on it again.
        phase_ = ServerPhase::serving;
        record("server.start", Errno::ok, address_->port);
        accept_pending();
        if (done) done(Errno::ok);
        return;
    }
    if (phase_ != ServerPhase::down || retry_) {
        record("server.start", Errno::ealready, address_ ? address_->port : config_.address.port);
        if (done) done(Errno::ealready);
        return;
    }
    attempt_start(sim().now() + config_.timeout, std::move(done));
}

void Server::attempt_start(Instant give_up_at, Done done) {
    retry_.reset();
    net::Port port = address_ ? address_->port : config_.address.port;
    if (config_.listener == ListenerStrategy::random_port) port = 0;
    const Errno result = open_listener(port);
    if (result == Errno::ok) {
        phase_ = ServerPhase::serving;
        record("server.start", result, address_->port);
        if (done) done(result);
        return;
    }
    record("server.start", result, port);
    last_error_ = result;
    if (config_.listener == ListenerStrategy::wait_release && sim().now() + config_.retry <= give_up_at) {
        waiting_done_ = std::move(done);
        retry_ = sim().schedule_after(config_.retry, [this, give_up_at] { attempt_start(give_up_at, std::move(waiting_done_)); });
        return;
    }
    if (done) done(result);
}

Errno Server::open_listener(net::Port port) {
    const bool dual_stack = config_.listener == ListenerStrategy::reuseport;
    net::IpAddress ip = config_.address.ip;
    if (dual_stack && ip.is_v4()) ip = ip.mapped_v6();
    Fd fd = open_socket(ip.family()).value();
    const bool reuseaddr = config_.listener != ListenerStrategy::plain && config_.listener != ListenerStrategy::wait_release;
    if (reuseaddr) (void)kernel().setsockopt(fd, SocketOption::reuseaddr, 1);
    if (dual_stack) {
        (void)kernel().setsockopt(fd, SocketOption::v6only, 0);
        (void)kernel().setsockopt(fd, SocketOption::reuseport, 1);
    }
    Errno result = kernel().bind(fd, net::SocketAddress{ip, port});
    if (result == Errno::ok) result = kernel().listen(fd, config_.backlog);
    if (result != Errno::ok) {
        (void)kernel().close(fd);
        return result;
    }
    const net::SocketAddress bound{config_.address.ip, kernel().getsockname(fd).value().port};
    const bool moved = !address_ || *address_ != bound;
    address_ = bound;
    listener_ = fd;
    kernel().watch(fd, [this](const kernel::SocketNotice&) { accept_pending(); });
    if (moved)
        for (auto& observer : observers_) observer(bound);
    return Errno::ok;
}

void Server::accept_pending() {
    if (!listener_ || phase_ == ServerPhase::paused || phase_ == ServerPhase::down) return;
    while (true) {
        auto accepted = kernel().accept(*listener_);
        if (!accepted.ok()) return;
        if (phase_ == ServerPhase::stopped_holding_port) {
            // A stopped restartable listener accepts and closes at once: the client sees a
            // connection that fails before the preface, not a refused one.
            (void)kernel().close(accepted.value());
            continue;
        }
        responder_.adopt(accepted.value());
    }
}

void Server::stop_serving(bool graceful) {
    cancel_retry();
    if (config_.listener == ListenerStrategy::restartable) {
        if (listener_) phase_ = ServerPhase::stopped_holding_port;
    } else if (listener_) {
        (void)kernel().close(*listener_);
        listener_.reset();
        phase_ = ServerPhase::down;
    }
    if (!graceful) {
        responder_.close_all();
        return;
    }
    const auto end = static_cast<ConnectionEnd>(graceful_rng_.below(3));
    sim().record(name(), "server.drain", {{"end", std::string(connection_end_name(end))}});
    responder_.drain_all(end);
}

void Server::cancel_retry() {
    if (!retry_) return;
    sim().cancel(*retry_);
    retry_.reset();
    // The restart this retry belonged to gives up: its caller hears the last bind error.
    if (waiting_done_) std::exchange(waiting_done_, Done{})(last_error_);
}

void Server::stop() {
    stop_serving(false);
    record("server.stop", Errno::ok, address_ ? address_->port : 0);
}

void Server::graceful_stop() {
    stop_serving(true);
    record("server.graceful_stop", Errno::ok, address_ ? address_->port : 0);
}

void Server::crash() {
    cancel_retry();
    kill();
    responder_.forget_all();
    listener_.reset();
    phase_ = ServerPhase::down;
    record("server.crash", Errno::ok, address_ ? address_->port : 0);
}

void Server::restart(Done done) {
    if (phase_ == ServerPhase::serving || phase_ == ServerPhase::paused) stop();
    start(std::move(done));
}

void Server::pause() {
    if (phase_ == ServerPhase::serving) phase_ = ServerPhase::paused;
    record("server.pause", Errno::ok, address_ ? address_->port : 0);
}

void Server::resume() {
    if (phase_ == ServerPhase::paused) phase_ = ServerPhase::serving;
    record("server.resume", Errno::ok, address_ ? address_->port : 0);
    accept_pending();
}

void Server::set_load_report(std::optional<LoadReport> report) {
    config_.load_report = report;
    responder_.set_load_report(report);
    sim().record(name(), "server.load",
                 {{"qps", std::int64_t{report ? report->qps : 0}},
                  {"utilization_permille", std::int64_t{report ? report->utilization_permille : 0}},
                  {"eps", std::int64_t{report ? report->eps : 0}}});
}

}  // namespace netsim::app
