// Which records a writer keeps. Each criterion that is set must hold (AND); several values of
// one criterion are alternatives (OR). An empty filter keeps every record at no cost.
//   hosts      the record's host (see Placement), or either end of a segment
//   processes  the record's component by scenario name: "a", "client" (all of client/...),
//              "tests" (every tests#N); kernels are "H/kernel" components
//   ports      a port in any endpoint field, or an integer field `port`
//   sockets    a kernel socket id (`sock=N`), plus the segments of that socket's connection
//              once a `tcp.state` record has shown its addresses
//   kinds      KIND or SOURCE.KIND ("tcp.state", "net.tx"), a trailing `*` matches any rest
//              ("sys.*", "net.*")
//   from/until the virtual time window, both ends included
// The socket criterion learns addresses as records pass, so a filter is used for one run.
#pragma once

#include "sim/core/trace.h"
#include "sim/trace/placement.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace netsim::trace {

struct TraceFilterSpec {
    std::vector<std::string> hosts;
    std::vector<std::string> processes;
    std::vector<std::int64_t> ports;
    std::vector<std::int64_t> sockets;
    std::vector<std::string> kinds;
    Instant from = Instant::start();
    Instant until = Instant::max();
};

class TraceFilter {
public:
    TraceFilter() = default;
    TraceFilter(TraceFilterSpec spec, Placement placement);

    bool keeps(const TraceRecordView& r);
    bool keeps_instant(Instant at) const { return at >= spec_.from && at <= spec_.until; }
    bool keeps_everything() const { return everything_; }

private:
    bool host_matches(const TraceRecordView& r) const;
    bool process_matches(const TraceRecordView& r) const;
    bool port_matches(const TraceRecordView& r) const;
    bool socket_matches(const TraceRecordView& r);
    bool kind_matches(const TraceRecordView& r) const;

    TraceFilterSpec spec_;
    Placement placement_;
    bool everything_ = true;
    // For the socket criterion: the (local, remote) of each chosen socket seen so far.
    std::vector<std::pair<TraceEndpoint, TraceEndpoint>> connections_;
};

// KIND or SOURCE.KIND against a pattern with an optional trailing `*`.
bool kind_pattern_matches(std::string_view pattern, std::string_view source, std::string_view kind);

}  // namespace netsim::trace
