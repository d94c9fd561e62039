// One sink that hands every record to several (a `-v` timeline and a `--trace` file in one
// run). The sinks are not owned and are called in the order they were added.
#pragma once

#include "sim/core/trace.h"

#include <vector>

namespace netsim::trace {

class TeeSink final : public TraceSink {
public:
    void add(TraceSink* sink) { sinks_.push_back(sink); }
    bool empty() const { return sinks_.empty(); }
    void on_record(const TraceRecordView& record) override {
        for (TraceSink* s : sinks_) s->on_record(record);
    }

private:
    std::vector<TraceSink*> sinks_;
};

}  // namespace netsim::trace
