#include "sim/trace/trace_writer.h"

#include "sim/core/check.h"

#include <algorithm>

namespace netsim::trace {

TraceWriter::TraceWriter(std::unique_ptr<TraceFormat> format, TraceOutput& output, TraceFilter filter)
    : format_(std::move(format)), output_(output), filter_(std::move(filter)) {
    NETSIM_CHECK(format_ != nullptr);
}

void TraceWriter::mark(ViolationMark violation) {
    NETSIM_CHECK(!begun_);
    marks_.push_back(std::move(violation));
    std::stable_sort(marks_.begin(), marks_.end(),
                     [](const ViolationMark& a, const ViolationMark& b) { return a.at < b.at; });
}

void TraceWriter::write_marks_before(Instant at) {
    for (; next_mark_ < marks_.size() && marks_[next_mark_].at < at; ++next_mark_)
        if (filter_.keeps_instant(marks_[next_mark_].at)) format_->violation(marks_[next_mark_], output_.buffer());
}

void TraceWriter::on_record(const TraceRecordView& record) {
    if (!begun_) {
        begun_ = true;
        format_->begin(output_.buffer());
    }
    ++seen_;
    last_ = record.at;
    if (next_mark_ < marks_.size()) write_marks_before(record.at);
    if (!filter_.keeps(record)) return;
    ++written_;
    format_->record(record, output_.buffer());
    output_.commit();
}

bool TraceWriter::finish() {
    if (finished_) return output_.ok();
    finished_ = true;
    if (!begun_) {
        begun_ = true;
        format_->begin(output_.buffer());
    }
    for (; next_mark_ < marks_.size(); ++next_mark_)
        if (filter_.keeps_instant(marks_[next_mark_].at)) format_->violation(marks_[next_mark_], output_.buffer());
    format_->end(last_, output_.buffer());
    return output_.flush();
}

}  // namespace netsim::trace
