// The timeline a person reads (`netsim run -v`, `--format text`): one line per record, the
// virtual instant right-aligned in seconds with nanosecond digits, then the source (host
// kernel, process, channel part), the kind and the fields as key=value. Columns widen once
// when a longer source or kind appears and stay aligned from there. A violation is a line of
// its own that starts with `!!`, after the records of its instant:
//       0.121000000s  a                  server.start       result=EADDRINUSE port=42293
//   !!  0.121000000s  VIOLATION          expect restart_a succeeds: restart_a failed with EADDRINUSE
#pragma once

#include "sim/trace/trace_format.h"

namespace netsim::trace {

class TextFormat final : public TraceFormat {
public:
    void record(const TraceRecordView& r, std::string& out) override;
    void violation(const ViolationMark& mark, std::string& out) override;

private:
    void append_instant(std::string& out, Instant at, std::string_view lead);
    static void append_padded(std::string& out, std::string_view text, std::size_t& width);

    std::size_t source_width_ = 17;  // "client/subchannel"
    std::size_t kind_width_ = 17;    // "subchannel.create"
};

}  // namespace netsim::trace
