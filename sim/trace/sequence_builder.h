// Builds the sequence diagram of a run from its records (see sequence_diagram.h). The trace
// does not say which process owns a kernel socket, so the builder works it out: the socket a
// server's successful start put in LISTEN on its port (and the connections it accepts) belong
// to that server; the socket whose SYN_SENT a channel's `transport.connect` follows belongs to
// that channel; every other socket belongs to its host's "other processes". Only what involves
// a server or a channel, or a port a server ever had, is drawn: SYN, SYN|ACK, RST, FIN and data
// segments (bare ACKs are left out), lifecycle boxes (a failed bind names the sockets holding
// its port), other processes' listeners on those ports, TIME_WAIT bands, the channel's states,
// the scenario's steps and the violations. A quiet stretch of at least `gap` becomes one row.
#pragma once

#include "sim/core/trace.h"
#include "sim/trace/placement.h"
#include "sim/trace/sequence_diagram.h"
#include "sim/trace/trace_format.h"

#include <variant>
#include <vector>

namespace netsim::trace {

struct SequenceOptions {
    Duration gap = Duration::milliseconds(1);
    std::size_t max_rows = 300;
};

// A violation or a record, in the order the writer saw them.
using SequenceItem = std::variant<TraceRecord, ViolationMark>;

SequenceDiagram build_sequence(const std::vector<SequenceItem>& items, const Placement& placement, std::string title,
                               const SequenceOptions& options = {});

}  // namespace netsim::trace
