// Keeps, from a streamed run, only the trace records a report's excerpts can show: for each
// violation already known (from an earlier run of the same seed), the last `limit` records at
// or before its instant that are about the names it mentions. Memory stays bounded by
// violations × limit however long the run, and the report built from these records is the one
// a run that kept every record would print.
#pragma once

#include "scenarios/model.h"
#include "scenarios/oracles.h"
#include "sim/core/trace.h"

#include <cstddef>
#include <cstdint>
#include <deque>
#include <set>
#include <string>
#include <vector>

namespace netsim::scenarios {

class ExcerptCollector final : public TraceSink {
public:
    ExcerptCollector(const Scenario& scenario, const std::vector<Violation>& violations, std::size_t limit = 12);
    void on_record(const TraceRecordView& record) override;
    // Every kept record once, in trace order.
    std::vector<TraceRecord> records() const;

private:
    struct Wanted {
        Instant until;
        std::set<std::string> names;
        std::deque<std::uint64_t> last;  // indices into kept_, newest last
    };
    std::vector<Wanted> wanted_;
    std::size_t limit_;
    std::uint64_t next_ = 0;
    std::vector<std::pair<std::uint64_t, TraceRecord>> kept_;  // (trace position, record)
};

}  // namespace netsim::scenarios
