// A trace writer: the `TraceSink` that streams a run's records through a filter into one
// format and out to a file, as the run appends them. It never touches the simulation, so a
// run's trace hash is the same with or without it. Violations found by an earlier run of the
// same (scenario, seed) can be marked before the run: each is written after the last record at
// its instant. `finish()` writes what remains and reports a failed write as `false`.
#pragma once

#include "sim/trace/trace_filter.h"
#include "sim/trace/trace_format.h"
#include "sim/trace/trace_output.h"

#include <cstdint>
#include <memory>
#include <vector>

namespace netsim::trace {

class TraceWriter final : public TraceSink {
public:
    TraceWriter(std::unique_ptr<TraceFormat> format, TraceOutput& output, TraceFilter filter = {});

    // Before the run: a violation to show at its instant (any order).
    void mark(ViolationMark violation);
    void on_record(const TraceRecordView& record) override;
    // Writes the remaining marks and the format's end, and flushes; false when a write failed.
    bool finish();

    std::uint64_t records_seen() const { return seen_; }
    std::uint64_t records_written() const { return written_; }

private:
    void write_marks_before(Instant at);

    std::unique_ptr<TraceFormat> format_;
    TraceOutput& output_;
    TraceFilter filter_;
    std::vector<ViolationMark> marks_;  // sorted by instant; written up to next_mark_
    std::size_t next_mark_ = 0;
    bool begun_ = false;
    bool finished_ = false;
    Instant last_;
    std::uint64_t seen_ = 0;
    std::uint64_t written_ = 0;
};

}  // namespace netsim::trace
