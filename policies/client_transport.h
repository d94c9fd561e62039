// One client connection (gRPC's HTTP/2 transport, in the shape of sim/app/wire.h) from a process
// to one address, over its host's kernel socket API. It is ready only once the server's preface
// has arrived; a connection accepted and closed before that is a failed attempt, as in gRPC. It
// sends one request per RPC, reads the responses, stops taking RPCs on GOAWAY (in-flight ones
// finish, then it closes), and reports its end exactly once, naming the RPCs still in flight.
//
// Callbacks come from the transport's own events (kernel notices, its timer), never from inside
// one of its methods. The observer must not destroy the transport from a callback (hand it to
// the channel to release later); after close() no callback comes.
#pragma once

#include "sim/app/load_report.h"
#include "sim/app/process.h"
#include "sim/kernel/errno.h"
#include "sim/net/ip_address.h"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace netsim::policies {

class ClientTransport;

// How a transport ended.
struct TransportClosed {
    bool was_ready = false;             // false: a failed connection attempt
    std::string_view why;               // "connect_failed", "timeout", "eof", "reset", "drained"
    kernel::Errno error = kernel::Errno::ok;
    std::vector<std::uint32_t> lost_rpcs;  // sent and not answered
};

class TransportObserver {
public:
    virtual ~TransportObserver() = default;
    virtual void on_transport_ready(ClientTransport& transport) = 0;
    virtual void on_transport_goaway(ClientTransport& transport) = 0;
    // Right after on_transport_goaway (to whoever observes the transport then): the RPCs sent
    // after the server's last-stream-id, which it will never serve; they are no longer in flight
    // here and may be retried elsewhere (gRFC A6 transparent retry).
    virtual void on_transport_refused(ClientTransport& transport, std::span<const std::uint32_t> rpcs) = 0;
    // The server's load report that followed a response (ORCA per-call, gRFC A51).
    virtual void on_transport_load_report(ClientTransport& transport, const app::LoadReport& report) = 0;
    virtual void on_transport_response(ClientTransport& transport, std::uint32_t rpc, kernel::ProcessId server) = 0;
    virtual void on_transport_closed(ClientTransport& transport, const TransportClosed& closed) = 0;
};

class ClientTransport {
public:
    enum class Phase : std::uint8_t { created, connecting, handshaking, ready, draining, closed };

    // `trace_source`: where its records go ("<channel>/transport").
    ClientTransport(app::Process& owner, TransportObserver& observer, net::SocketAddress address,
                    std::string trace_source);
    ClientTransport(const ClientTransport&) = delete;
    ClientTransport& operator=(const ClientTransport&) = delete;
    ~ClientTransport();

    // Opens a socket and starts connecting; an attempt still not ready at `deadline` fails with
    // "timeout". Called once.
    void connect(Instant deadline);
    // Sends one request; false (and nothing sent) unless ready and not draining, or if the
    // kernel refuses the send (the loss is then reported by the socket's own notice).
    bool send_request(std::uint32_t rpc);
    // No new RPCs; closes (reporting "drained") once the last in-flight response arrives, at
    // once and silently when none is in flight.
    void drain();
    // Releases the socket now; no callback after this.
    void close();
    void set_observer(TransportObserver& observer) { observer_ = &observer; }

    Phase phase() const { return phase_; }
    bool is_ready() const { return phase_ == Phase::ready; }
    bool is_closed() const { return phase_ == Phase::closed; }
    const net::SocketAddress& address() const { return address_; }
    const std::vector<std::uint32_t>& in_flight() const { return in_flight_; }

private:
    void on_notice(const kernel::SocketNotice& notice);
    void read_messages();
    void on_message(std::uint64_t word);
    // Closes the socket and reports the end (the last thing any handler does).
    void finish(bool was_ready, std::string_view why, kernel::Errno error);
    void release_socket();
    void record(TraceKind kind, std::initializer_list<TraceFieldView> fields = {});

    app::Process& owner_;
    TransportObserver* observer_;
    net::SocketAddress address_;
    TraceSource source_;
    Phase phase_ = Phase::created;
    kernel::Fd fd_;
    EventId timer_;
    std::vector<std::uint32_t> in_flight_;  // by send order
};

std::string_view phase_name(ClientTransport::Phase phase);

}  // namespace netsim::policies
