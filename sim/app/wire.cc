// Encoding of wire messages into the kernel's message word, and their frame sizes.
#include "sim/app/wire.h"

#include "sim/core/check.h"

namespace netsim::app {

std::string_view wire_kind_name(WireKind kind) {
    switch (kind) {
        case WireKind::preface: return "preface";
        case WireKind::request: return "request";
        case WireKind::response: return "response";
        case WireKind::goaway: return "goaway";
        case WireKind::load_report: return "load_report";
    }
    return "?";
}

std::uint64_t WireMessage::encode() const {
    NETSIM_CHECK_MSG(server.value < (1u << 24), "process id {} does not fit the wire", server.value);
    return (std::uint64_t{static_cast<std::uint8_t>(kind)} << 56) | (std::uint64_t{server.value} << 32) | rpc;
}

std::optional<WireMessage> WireMessage::decode(std::uint64_t word) {
    const auto kind = static_cast<std::uint8_t>(word >> 56);
    if (kind < 1 || kind > 4) return std::nullopt;
    return WireMessage{static_cast<WireKind>(kind), static_cast<std::uint32_t>(word),
                       kernel::ProcessId{static_cast<std::uint32_t>((word >> 32) & 0xffffff)}};
}

std::size_t WireMessage::bytes() const {
    // HTTP/2 frame sizes (RFC 9113): a 9-byte header plus payload.
    switch (kind) {
        case WireKind::preface: return 9 + 18;   // SETTINGS with three parameters
        case WireKind::request: return 9 + 64 + 9 + 5 + 16;   // HEADERS + DATA (gRPC message)
        case WireKind::response: return 9 + 32 + 9 + 5 + 16 + 9 + 16;  // HEADERS, DATA, trailers
        case WireKind::goaway: return 9 + 8;
        case WireKind::load_report: return 9 + 24;
    }
    return 0;
}

}  // namespace netsim::app
