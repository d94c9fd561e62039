#include "sim/trace/svg_format.h"

#include "sim/trace/record_view.h"
#include "sim/trace/svg_render.h"

namespace netsim::trace {

namespace {

bool drawable(const TraceRecordView& r) {
    if (r.source == "net") return r.kind == "tx";
    return r.kind == "tcp.state" || r.kind.starts_with("server.") || r.kind == "channel.state" ||
           r.kind == "subchannel.state" || r.kind == "transport.connect" || r.kind == "step.run" || r.kind == "sys.bind";
}

}  // namespace

void SvgFormat::record(const TraceRecordView& r, std::string& out) {
    (void)out;
    if (drawable(r)) items_.emplace_back(TraceRecord::from(r));
}

void SvgFormat::violation(const ViolationMark& mark, std::string& out) {
    (void)out;
    items_.emplace_back(mark);
}

void SvgFormat::end(Instant last, std::string& out) {
    (void)last;
    append_svg(out, build_sequence(items_, placement_, title_, options_));
    items_.clear();
}

}  // namespace netsim::trace
