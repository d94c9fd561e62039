// Sequence and acknowledgement numbers for segments that carry none: the simulated network
// sends flags and payload lengths only, and a pcap needs numbers Wireshark can follow. Per
// connection (the unordered pair of endpoints) each side starts at an ISN derived from the
// endpoints and a connection serial (deterministic: the same trace gives the same numbers);
// SYN and FIN consume one number, payload bytes advance by their count (RFC 9293 §3.4), and an
// ACK acknowledges everything the other side has sent. A SYN from a side that has already moved
// past its own SYN, or on a connection an RST has ended, opens a new connection on the same
// 4-tuple (port reuse after TIME_WAIT or a reset); nothing else does. A connection's numbers
// outlive its close and its reset, since segments still in flight, a FIN that crossed the RST, a
// retransmitted FIN and the answers to them belong to it: each 4-tuple keeps one entry, which
// the next connection on it replaces.
#pragma once

#include "sim/core/trace_endpoint.h"

#include <cstdint>
#include <map>
#include <utility>

namespace netsim::trace {

struct TcpFlags {
    bool syn = false, ack = false, fin = false, rst = false;
};

struct TcpNumbers {
    std::uint32_t seq = 0;
    std::uint32_t ack = 0;  // 0 when the segment has no ACK flag
};

class TcpSequence {
public:
    TcpNumbers next(const TraceEndpoint& src, const TraceEndpoint& dst, TcpFlags flags, std::uint32_t payload_bytes);
    std::size_t connections() const { return connections_.size(); }  // the 4-tuples seen

private:
    struct Side {
        std::uint32_t isn = 0;
        std::uint32_t next = 0;  // the next sequence number this side sends (SND.NXT)
        bool started = false;
        bool fin_sent = false;
    };
    struct Connection {
        Side sides[2];
        std::uint64_t serial = 0;
        bool reset = false;  // an RST has been sent on it
    };
    using Key = std::pair<TraceEndpoint, TraceEndpoint>;  // the lower endpoint first
    struct KeyLess {
        bool operator()(const Key& a, const Key& b) const;
    };

    Connection& open(const Key& key);
    static void start(Side& side, const Key& key, const Connection& c, int index);

    std::map<Key, Connection, KeyLess> connections_;
    std::uint64_t serial_ = 0;
};

}  // namespace netsim::trace
