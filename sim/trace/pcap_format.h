// A libpcap capture of every simulated segment (`--format pcap`), for Wireshark and tshark:
// the nanosecond-resolution pcap file format (magic a1b23c4d, LINKTYPE_ETHERNET), one frame
// per `net tx` record, stamped with the virtual instant of sending, with synthesised Ethernet,
// IPv4/IPv6 and TCP headers (see packet_bytes.h) and sequence numbers that follow each
// connection (see tcp_sequence.h). Segments the network then dropped or held are in the file
// too: the capture is taken where they were sent. Records other than segments are skipped.
#pragma once

#include "sim/trace/tcp_sequence.h"
#include "sim/trace/trace_format.h"

#include <cstdint>

namespace netsim::trace {

class PcapFormat final : public TraceFormat {
public:
    void begin(std::string& out) override;
    void record(const TraceRecordView& r, std::string& out) override;

    std::uint64_t frames() const { return frames_; }

private:
    TcpSequence sequence_;
    std::uint16_t ip_id_ = 0;
    std::uint64_t frames_ = 0;
};

// "SYN|ACK" -> {syn, ack}; unknown names are ignored.
TcpFlags parse_flag_names(std::string_view names);

}  // namespace netsim::trace
