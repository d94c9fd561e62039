// The RPC wire protocol between simulated gRPC clients and servers: gRPC's shape without its
// bytes. Each message is one send() whose kernel message word encodes what it is; sizes are
// those of the HTTP/2 frames it stands for, so the byte counts in traces look right.
//   server -> client on accept: preface (the server's SETTINGS; the client is READY only
//   after it arrives); client -> server: request(rpc); server -> client: response(rpc, server),
//   naming the process that served it; server -> client: goaway (graceful stop: no new RPCs),
//   carrying the last RPC the server took on that connection (HTTP/2's last-stream-id: the
//   client may retry any later one elsewhere, since this server will not serve it).
#pragma once

#include "sim/kernel/socket.h"

#include <cstdint>
#include <optional>
#include <string_view>

namespace netsim::app {

// load_report words are LoadReports (load_report.h), never WireMessages.
enum class WireKind : std::uint8_t { preface = 1, request = 2, response = 3, goaway = 4, load_report = 5 };
std::string_view wire_kind_name(WireKind kind);

struct WireMessage {
    WireKind kind = WireKind::preface;
    std::uint32_t rpc = 0;       // request, response: the client's RPC number; goaway: the last taken (0: none)
    kernel::ProcessId server;    // preface, response, goaway: the process that sent it

    // Bits 56..63 the kind, 32..55 the server process, 0..31 the RPC number.
    std::uint64_t encode() const;
    // None for a word no WireMessage encodes to (0, or an unknown kind).
    static std::optional<WireMessage> decode(std::uint64_t word);
    std::size_t bytes() const;
    auto operator<=>(const WireMessage&) const = default;
};

}  // namespace netsim::app
