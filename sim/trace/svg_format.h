// An SVG sequence diagram of a run (`--format svg`): the records the diagram can draw
// (segments, TCP states, lifecycle steps, connectivity states, scenario steps) and the
// violations are kept as they stream by, and the picture is built and drawn at the end (see
// sequence_builder.h and svg_render.h). The one format that keeps records: narrow a long run
// with --around-failure or --trace-from/--trace-until.
#pragma once

#include "sim/trace/placement.h"
#include "sim/trace/sequence_builder.h"
#include "sim/trace/trace_format.h"

#include <string>
#include <vector>

namespace netsim::trace {

class SvgFormat final : public TraceFormat {
public:
    SvgFormat(Placement placement, std::string title, SequenceOptions options = {})
        : placement_(std::move(placement)), title_(std::move(title)), options_(options) {}

    void record(const TraceRecordView& r, std::string& out) override;
    void violation(const ViolationMark& mark, std::string& out) override;
    void end(Instant last, std::string& out) override;

private:
    Placement placement_;
    std::string title_;
    SequenceOptions options_;
    std::vector<SequenceItem> items_;
};

}  // namespace netsim::trace
