// A gRPC-like server process: serves unary RPCs on one port and goes through the lifecycle a
// test drives (start, stop, graceful_stop, crash, restart, pause, resume), holding its port by
// one of the listener strategies. Every operation is a trace record `server.<op>` with its
// outcome; a failed bind carries the errno and the port. Nothing here decides whether a bind
// fails: the kernel model's port table does, under Linux's rules.
//
// graceful_stop (grpc-go GracefulStop): stop accepting, GOAWAY on every connection, answer the
// RPCs in flight, then let the connection go. Which side sends the first FIN, or whether it
// ends in an RST, varies from run to run on real gRPC; here it is drawn per graceful stop from
// the stream "graceful/<server>": server FIN first, client FIN first, or RST (one in three each).
#pragma once

#include "sim/app/listener_strategy.h"
#include "sim/app/process.h"
#include "sim/app/rpc_responder.h"

#include <functional>
#include <optional>
#include <vector>

namespace netsim::app {

struct ServerConfig {
    net::SocketAddress address;  // port 0: the kernel picks at the first start
    ListenerStrategy listener = ListenerStrategy::reuseaddr;
    Duration service_low = Duration::milliseconds(1);
    Duration service_high = Duration::milliseconds(1);
    int backlog = 128;
    Duration retry = Duration::milliseconds(10);  // wait_release: between binds
    Duration timeout = Duration::seconds(5);      // wait_release: give up after
    std::optional<LoadReport> load_report;        // sent after each response (ORCA per-call)
};

enum class ServerPhase { down, serving, paused, stopped_holding_port };
std::string_view server_phase_name(ServerPhase phase);

class Server final : public Process {
public:
    // The outcome of a start or restart: ok, or the bind/listen error (maybe after retries).
    using Done = std::function<void(kernel::Errno)>;
    // Called with the new address whenever the server listens on a different one (random_port).
    using AddressObserver = std::function<void(const net::SocketAddress&)>;

    Server(World& world, net::HostId host, std::string name, ServerConfig config);

    void start(Done done = {});
    void stop();
    void graceful_stop();
    void crash();
    // Stop if running, then start on the same port (random_port: on a new one).
    void restart(Done done = {});
    void pause();
    void resume();
    // Publishes a new load report from now on (a `server.load` record); none stops reporting.
    void set_load_report(std::optional<LoadReport> report);

    ServerPhase phase() const { return phase_; }
    // Where it listens, or listened last; none before the first successful start.
    const std::optional<net::SocketAddress>& address() const { return address_; }
    void on_address_change(AddressObserver observer) { observers_.push_back(std::move(observer)); }
    std::uint64_t rpcs_answered() const { return responder_.answered(); }
    const ServerConfig& config() const { return config_; }

private:
    void attempt_start(Instant give_up_at, Done done);
    kernel::Errno open_listener(net::Port port);
    void stop_serving(bool graceful);
    void accept_pending();
    void record(const char* kind, kernel::Errno result, net::Port port);
    void cancel_retry();

    ServerConfig config_;
    ServerPhase phase_ = ServerPhase::down;
    std::optional<kernel::Fd> listener_;
    std::optional<net::SocketAddress> address_;
    std::optional<EventId> retry_;
    Done waiting_done_;  // the start a wait_release retry will report to
    kernel::Errno last_error_ = kernel::Errno::ok;
    RpcResponder responder_;
    Rng graceful_rng_;
    std::vector<AddressObserver> observers_;
};

}  // namespace netsim::app
