// One output format of the trace writers (text, jsonl, chrome, pcap, svg): turns records into
// bytes appended to the writer's buffer. A format sees only the records its writer's filter
// keeps, in trace order, then the violations the run is known to have (marked at their
// instants, after every record of that instant) and an end. Streaming formats keep at most a
// little state per connection or socket; only the SVG diagram keeps the records it draws.
#pragma once

#include "sim/core/trace.h"

#include <string>
#include <vector>

namespace netsim::trace {

// A violated expectation, to be shown where it happened.
struct ViolationMark {
    Instant at;
    std::string expectation;  // "expect restart_a succeeds", or an invariant's name
    std::string what;         // "restart_a failed with EADDRINUSE"
    std::vector<std::string> detail;  // more lines, e.g. who held the port
};

class TraceFormat {
public:
    virtual ~TraceFormat() = default;
    virtual void begin(std::string& out) { (void)out; }
    virtual void record(const TraceRecordView& r, std::string& out) = 0;
    virtual void violation(const ViolationMark& mark, std::string& out) { (void)mark, (void)out; }
    // `last`: the instant of the last record the writer saw (kept or not).
    virtual void end(Instant last, std::string& out) { (void)last, (void)out; }
};

}  // namespace netsim::trace
