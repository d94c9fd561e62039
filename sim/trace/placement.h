// Which host each component of a run lives on, for writers that group records by host (the
// filter's `host`, Chrome's processes, the SVG's lifelines). A kernel's source names its host
// ("machine/kernel"); a segment names its sender (`from`); any other component (server,
// channel, noise) is placed by the caller, who knows the scenario (`place("a", "machine")`).
// Unplaced components have no host.
#pragma once

#include "sim/core/trace.h"

#include <map>
#include <string>
#include <string_view>

namespace netsim::trace {

class Placement {
public:
    // Component `name` (a server, a channel, a noise source; "tests" covers "tests#7") runs on `host`.
    void place(std::string name, std::string host);
    // The record's host: its kernel's, its sender's for a segment, its component's; "" if unknown.
    std::string_view host_of(const TraceRecordView& r) const;
    std::string_view host_of_source(std::string_view source) const;

private:
    std::map<std::string, std::string, std::less<>> host_of_name_;
};

}  // namespace netsim::trace
