#include "sim/trace/pcap_format.h"

#include "sim/trace/packet_bytes.h"
#include "sim/trace/record_view.h"

#include <algorithm>

namespace netsim::trace {

namespace {

constexpr std::uint32_t pcap_magic_ns = 0xa1b23c4d;  // nanosecond timestamps
constexpr std::uint32_t linktype_ethernet = 1;
constexpr std::uint32_t snap_length = 262'144;
constexpr std::size_t record_header_bytes = 16;

void put_le32(std::string& out, std::uint32_t v) {
    const char bytes[4] = {static_cast<char>(v), static_cast<char>(v >> 8), static_cast<char>(v >> 16),
                           static_cast<char>(v >> 24)};
    out.append(bytes, 4);
}

void patch_le32(std::string& out, std::size_t at, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) out[at + static_cast<std::size_t>(i)] = static_cast<char>(v >> (8 * i));
}

}  // namespace

TcpFlags parse_flag_names(std::string_view names) {
    TcpFlags f;
    while (!names.empty()) {
        const std::size_t bar = std::min(names.find('|'), names.size());
        const std::string_view name = names.substr(0, bar);
        if (name == "SYN") f.syn = true;
        else if (name == "ACK") f.ack = true;
        else if (name == "FIN") f.fin = true;
        else if (name == "RST") f.rst = true;
        names.remove_prefix(std::min(bar + 1, names.size()));
    }
    return f;
}

void PcapFormat::begin(std::string& out) {
    put_le32(out, pcap_magic_ns);
    put_le32(out, 2 | (4u << 16));  // version 2.4: major, minor as two little-endian u16
    put_le32(out, 0);               // thiszone
    put_le32(out, 0);               // sigfigs
    put_le32(out, snap_length);
    put_le32(out, linktype_ethernet);
}

void PcapFormat::record(const TraceRecordView& r, std::string& out) {
    if (r.source != "net" || r.kind != "tx") return;
    const TraceEndpoint* src = endpoint_field(r, "src");
    const TraceEndpoint* dst = endpoint_field(r, "dst");
    if (src == nullptr || dst == nullptr || src->v6 != dst->v6) return;
    const TcpFlags flags = parse_flag_names(text_field(r, "flags"));
    std::uint64_t bytes = static_cast<std::uint64_t>(std::max<std::int64_t>(0, int_field(r, "bytes").value_or(0)));
    FrameSpec frame;
    frame.src_mac = mac_for_host(text_field(r, "from"));
    frame.dst_mac = mac_for_host(text_field(r, "to"));
    frame.src = *src;
    frame.dst = *dst;
    // A payload larger than one datagram goes out as several frames, the flags on the last.
    do {
        const std::uint32_t chunk = static_cast<std::uint32_t>(std::min<std::uint64_t>(bytes, max_payload_bytes));
        bytes -= chunk;
        frame.flags = bytes == 0 ? flags : TcpFlags{false, flags.ack, false, false};
        frame.payload_bytes = chunk;
        frame.numbers = sequence_.next(*src, *dst, frame.flags, chunk);
        frame.ip_id = ip_id_++;
        const std::size_t header_at = out.size();
        const std::int64_t ns = r.at.count_ns();
        put_le32(out, static_cast<std::uint32_t>(ns / 1'000'000'000));
        put_le32(out, static_cast<std::uint32_t>(ns % 1'000'000'000));
        put_le32(out, 0);  // captured and original lengths, patched below
        put_le32(out, 0);
        const auto length = static_cast<std::uint32_t>(append_frame(out, frame));
        patch_le32(out, header_at + 8, length);
        patch_le32(out, header_at + 12, length);
        ++frames_;
    } while (bytes > 0);
}

}  // namespace netsim::trace
