// JSON lines (`--format jsonl`): one JSON object per record, for jq and Python. The schema is
// stable (documented in docs/traces.md):
//   {"t_ns":121000000,"source":"a","kind":"server.start","fields":{"result":"EADDRINUSE","port":42293}}
// `t_ns` is the virtual instant in nanoseconds since the start of the run; `fields` keeps the
// record's key order; integers are JSON numbers, every other value (text, labels, endpoints)
// a JSON string as the timeline prints it. A violation is an object of source "oracle" and
// kind "violation" with fields `expectation` and `what`.
#pragma once

#include "sim/trace/trace_format.h"

namespace netsim::trace {

class JsonlFormat final : public TraceFormat {
public:
    void record(const TraceRecordView& r, std::string& out) override;
    void violation(const ViolationMark& mark, std::string& out) override;
};

}  // namespace netsim::trace
