// The server side of the RPC wire protocol for one process: it adopts accepted connections,
// sends each the preface, answers every request after a service time drawn from the process's
// own stream, naming the process in the response, and closes connections in the way a stop
// asks for. Servers and noise listeners (other tests' servers) share it, so a process that
// took a port answers RPCs exactly as the intended server would.
#pragma once

#include "sim/app/load_report.h"
#include "sim/app/process.h"
#include "sim/core/flat_map.h"
#include "sim/core/random_delay.h"

#include <cstdint>

namespace netsim::app {

// How a connection ends when its server lets it go.
enum class ConnectionEnd {
    server_fin,   // the server closes first: FIN, and TIME_WAIT on the server's port
    client_fin,   // the server waits for the client's FIN, then closes (TIME_WAIT on the client)
    reset,        // SO_LINGER 0: RST, no TIME_WAIT anywhere
};
std::string_view connection_end_name(ConnectionEnd end);

class RpcResponder {
public:
    RpcResponder(Process& owner, Duration service_low, Duration service_high);
    RpcResponder(const RpcResponder&) = delete;
    RpcResponder& operator=(const RpcResponder&) = delete;

    // Takes over an accepted connection: sends the preface and serves its requests.
    void adopt(kernel::Fd fd);
    // Closes every connection now, from the server side (grpc-go Server.Stop).
    void close_all();
    // GOAWAY on every connection, naming the last request taken there; requests that arrive
    // after it are not served (the client retries them elsewhere, as HTTP/2 streams above the
    // last-stream-id); each connection ends as `end` once its RPCs in flight are answered.
    void drain_all(ConnectionEnd end);
    // The process died: its descriptors are gone already, forget them.
    void forget_all() { connections_.clear(); }

    // The load report sent after each response from now on (none: no report).
    void set_load_report(std::optional<LoadReport> report) { load_report_ = report; }

    std::size_t connection_count() const { return connections_.size(); }
    std::uint64_t answered() const { return answered_; }

private:
    struct Connection {
        int in_flight = 0;
        bool draining = false;
        ConnectionEnd end = ConnectionEnd::server_fin;
        bool peer_closed = false;
        std::uint32_t last_rpc = 0;  // the last request taken: GOAWAY's last-stream-id
    };

    void on_notice(const kernel::SocketNotice& notice);
    void read_requests(kernel::Fd fd);
    void answer(kernel::Fd fd, std::uint32_t rpc);
    void finish_if_drained(kernel::Fd fd);
    void close(kernel::Fd fd, bool with_reset);

    Process& owner_;
    Duration service_low_;
    Duration service_high_;
    Rng service_rng_;
    FlatMap<kernel::Fd, Connection> connections_;
    std::uint64_t answered_ = 0;
    std::optional<LoadReport> load_report_;
};

}  // namespace netsim::app
