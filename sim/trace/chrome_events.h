// Appending Chrome trace-event JSON (the "Trace Event Format" that ui.perfetto.dev and
// chrome://tracing open): one event object per call, comma-separated inside the
// `traceEvents` array. Timestamps are microseconds with three decimals, so nanosecond virtual
// instants survive exactly. Every event carries the keys its phase requires: `ph`, `ts`,
// `pid`, `tid` and `name` (metadata `M` has no `ts`; flows carry `id` and `cat`).
#pragma once

#include "sim/core/trace.h"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace netsim::trace {

class ChromeEvents {
public:
    // Where the next events go (the writer's buffer of the current call).
    void target(std::string& out) { out_ = &out; }

    void begin_file();
    void end_file();

    void process_name(int pid, std::string_view name);
    void thread_name(int pid, int tid, std::string_view name);
    void slice_begin(int pid, int tid, Instant at, std::string_view name, std::span<const TraceFieldView> args = {});
    void slice_end(int pid, int tid, Instant at);
    // A complete event of zero duration (a segment leaving or arriving).
    void mark(int pid, int tid, Instant at, std::string_view name, std::span<const TraceFieldView> args = {});
    void instant(int pid, int tid, Instant at, std::string_view name, std::span<const TraceFieldView> args = {},
                 bool global = false);
    void counter(int pid, Instant at, std::string_view name, std::string_view series, std::int64_t value);
    // Flow arrow `id` from (pid, tid) to its end, bound to the enclosing slices.
    void flow_start(int pid, int tid, Instant at, std::uint64_t id, std::string_view name);
    void flow_end(int pid, int tid, Instant at, std::uint64_t id, std::string_view name);

private:
    void open(char phase, int pid, int tid, std::string_view name);
    void ts(Instant at);
    void args(std::span<const TraceFieldView> fields);

    std::string* out_ = nullptr;
    bool first_ = true;
};

}  // namespace netsim::trace
