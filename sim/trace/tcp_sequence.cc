#include "sim/trace/tcp_sequence.h"

#include <cstring>
#include <tuple>

namespace netsim::trace {

namespace {

bool endpoint_less(const TraceEndpoint& a, const TraceEndpoint& b) {
    const int bytes = std::memcmp(a.bytes.data(), b.bytes.data(), a.bytes.size());
    if (bytes != 0) return bytes < 0;
    return std::tie(a.port, a.v6) < std::tie(b.port, b.v6);
}

// FNV-1a over the endpoints and the serial: an ISN that depends on nothing but the trace.
std::uint32_t derive_isn(const TraceEndpoint& a, const TraceEndpoint& b, std::uint64_t serial, int side) {
    std::uint64_t h = 0xcbf29ce484222325ull;
    auto mix = [&h](std::uint8_t byte) { h = (h ^ byte) * 0x100000001b3ull; };
    for (const TraceEndpoint* e : {&a, &b}) {
        for (std::uint8_t byte : e->bytes) mix(byte);
        mix(static_cast<std::uint8_t>(e->port >> 8));
        mix(static_cast<std::uint8_t>(e->port));
    }
    for (int i = 0; i < 8; ++i) mix(static_cast<std::uint8_t>(serial >> (8 * i)));
    mix(static_cast<std::uint8_t>(side));
    return static_cast<std::uint32_t>(h ^ (h >> 32));
}

}  // namespace

bool TcpSequence::KeyLess::operator()(const Key& a, const Key& b) const {
    if (endpoint_less(a.first, b.first)) return true;
    if (endpoint_less(b.first, a.first)) return false;
    return endpoint_less(a.second, b.second);
}

TcpSequence::Connection& TcpSequence::open(const Key& key) {
    Connection& c = connections_[key];
    c = Connection{};
    c.serial = serial_++;
    return c;
}

void TcpSequence::start(Side& side, const Key& key, const Connection& c, int index) {
    side.started = true;
    side.isn = derive_isn(key.first, key.second, c.serial, index);
    side.next = side.isn;
}

TcpNumbers TcpSequence::next(const TraceEndpoint& src, const TraceEndpoint& dst, TcpFlags flags,
                             std::uint32_t payload_bytes) {
    const bool src_first = !endpoint_less(dst, src);
    const Key key = src_first ? Key{src, dst} : Key{dst, src};
    const int me = src_first ? 0 : 1;
    auto it = connections_.find(key);
    Connection* c = it == connections_.end() ? nullptr : &it->second;
    const bool active_open = flags.syn && !flags.ack;
    if (c == nullptr ||
        (active_open && (c->reset || (c->sides[me].started && c->sides[me].next != c->sides[me].isn + 1))))
        c = &open(key);
    Side& side = c->sides[me];
    Side& peer = c->sides[1 - me];
    if (!side.started) start(side, key, *c, me);
    TcpNumbers n;
    if (flags.syn) {
        n.seq = side.isn;  // a retransmitted SYN repeats its number
        if (side.next == side.isn) side.next = side.isn + 1;
    } else if (flags.fin && side.fin_sent) {
        n.seq = side.next - 1;  // a retransmitted FIN repeats its number
    } else {
        n.seq = side.next;
        side.next += payload_bytes;
        if (flags.fin) side.next += 1;
    }
    side.fin_sent = side.fin_sent || flags.fin;
    if (flags.ack) n.ack = peer.started ? peer.next : 0;
    c->reset = c->reset || flags.rst;
    return n;
}

}  // namespace netsim::trace
