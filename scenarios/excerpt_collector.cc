#include "scenarios/excerpt_collector.h"

#include "scenarios/excerpt_filter.h"

#include <algorithm>

namespace netsim::scenarios {

ExcerptCollector::ExcerptCollector(const Scenario& scenario, const std::vector<Violation>& violations,
                                   std::size_t limit)
    : limit_(limit) {
    for (const Violation& v : violations) wanted_.push_back(Wanted{v.at, mentioned_names(scenario, v), {}});
}

void ExcerptCollector::on_record(const TraceRecordView& view) {
    const std::uint64_t position = next_++;
    bool owned = false;
    TraceRecord record;
    for (Wanted& w : wanted_) {
        if (view.at > w.until) continue;
        if (!owned) {
            record = TraceRecord::from(view);
            owned = true;
        }
        if (!about(record, w.names)) continue;
        if (kept_.empty() || kept_.back().first != position) kept_.emplace_back(position, record);
        w.last.push_back(position);
        if (w.last.size() > limit_) w.last.pop_front();
    }
    // Forget records no violation still shows (kept_ is in trace order, so trim from the front).
    if (kept_.size() > 4 * limit_ * std::max<std::size_t>(1, wanted_.size())) {
        std::set<std::uint64_t> shown;
        for (const Wanted& w : wanted_) shown.insert(w.last.begin(), w.last.end());
        std::erase_if(kept_, [&](const auto& k) { return !shown.contains(k.first); });
    }
}

std::vector<TraceRecord> ExcerptCollector::records() const {
    std::set<std::uint64_t> shown;
    for (const Wanted& w : wanted_) shown.insert(w.last.begin(), w.last.end());
    std::vector<TraceRecord> out;
    for (const auto& [position, record] : kept_)
        if (shown.contains(position)) out.push_back(record);
    return out;
}

}  // namespace netsim::scenarios
