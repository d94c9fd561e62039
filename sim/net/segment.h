// A TCP segment as the simulated network carries it: the 4-tuple, the control flags and the
// payload length (plus one opaque message word). No sequence numbers or bytes: the TCP model needs only what decides port
// occupancy and connection outcomes, and the network keeps segments of one path in order.
// Addresses on the wire are never v4-mapped: an IPv6 socket talking to IPv4 sends IPv4.
#pragma once

#include "sim/core/trace.h"
#include "sim/net/ip_address.h"

#include <array>
#include <cstdint>
#include <string>

namespace netsim::net {

enum SegmentFlag : std::uint8_t {
    flag_syn = 1,
    flag_ack = 2,
    flag_fin = 4,
    flag_rst = 8,
};

struct Segment {
    SocketAddress src;
    SocketAddress dst;
    std::uint8_t flags = 0;
    std::uint32_t payload_bytes = 0;
    // What an application sent in these bytes, as one opaque word (the simulation carries no
    // bytes): processes give their messages meaning without the kernel knowing it.
    std::uint64_t message = 0;
    // The ACK in this segment covers the receiver's FIN (its sender had received that FIN): the
    // one thing the model needs of acknowledgement numbers, to tell a FIN_WAIT1 whether a FIN|ACK
    // also acknowledges its own FIN (FIN_WAIT2, then TIME_WAIT) or crossed it (CLOSING).
    bool acks_peer_fin = false;
    // Early demultiplexing, a shortcut that never changes where a segment goes: the sending
    // socket's number on its host (plus one; 0: none), and the number (plus one) of the socket the
    // sender believes receives it (learnt from the peer's own segments). The receiving kernel uses
    // the guess only after checking that socket holds this segment's 4-tuple in its connection
    // table, exactly the socket a lookup would find.
    std::uint32_t sender_socket = 0;
    std::uint32_t receiver_hint = 0;

    bool has(SegmentFlag f) const { return (flags & f) != 0; }
    // "SYN", "SYN|ACK", "ACK", "FIN|ACK", "RST", ... ("-" for none)
    // Inline, so that a record built for an unobserved trace never looks the text up.
    std::string_view flag_names() const {
        // Indexed by the flag bits (SYN 1, ACK 2, FIN 4, RST 8), named in the order SYN FIN RST ACK.
        static constexpr std::array<std::string_view, 16> names = {
            "-",       "SYN",         "ACK",         "SYN|ACK",     "FIN",         "SYN|FIN",
            "FIN|ACK", "SYN|FIN|ACK", "RST",         "SYN|RST",     "RST|ACK",     "SYN|RST|ACK",
            "FIN|RST", "SYN|FIN|RST", "FIN|RST|ACK", "SYN|FIN|RST|ACK",
        };
        return names[flags & 0x0f];
    }
    // The flags as a trace value: hashed by their bits, shown as flag_names().
    TraceLabel flag_label() const { return TraceLabel{flags, flag_names()}; }
};

}  // namespace netsim::net
