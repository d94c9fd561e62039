#include "sim/trace/chrome_events.h"

#include "sim/trace/append_text.h"

namespace netsim::trace {

void ChromeEvents::begin_file() { *out_ += "{\"displayTimeUnit\":\"ns\",\"traceEvents\":[\n"; }

void ChromeEvents::end_file() { *out_ += "\n]}\n"; }

void ChromeEvents::open(char phase, int pid, int tid, std::string_view name) {
    std::string& o = *out_;
    if (!first_) o += ",\n";
    first_ = false;
    o += "{\"ph\":\"";
    o += phase;
    o += "\",\"pid\":";
    append_int(o, pid);
    o += ",\"tid\":";
    append_int(o, tid);
    o += ",\"name\":";
    append_json_string(o, name);
}

void ChromeEvents::ts(Instant at) {
    std::string& o = *out_;
    const std::int64_t ns = at.count_ns();
    o += ",\"ts\":";
    append_int(o, ns / 1000);
    const std::int64_t rest = ns % 1000;
    o += '.';
    o += static_cast<char>('0' + rest / 100);
    o += static_cast<char>('0' + rest / 10 % 10);
    o += static_cast<char>('0' + rest % 10);
}

void ChromeEvents::args(std::span<const TraceFieldView> fields) {
    std::string& o = *out_;
    o += ",\"args\":{";
    bool first = true;
    for (const TraceFieldView& f : fields) {
        if (!first) o += ',';
        first = false;
        append_json_string(o, f.key);
        o += ':';
        append_json_value(o, f.value);
    }
    o += '}';
}

void ChromeEvents::process_name(int pid, std::string_view name) {
    open('M', pid, 0, "process_name");
    *out_ += ",\"args\":{\"name\":";
    append_json_string(*out_, name);
    *out_ += "}}";
}

void ChromeEvents::thread_name(int pid, int tid, std::string_view name) {
    open('M', pid, tid, "thread_name");
    *out_ += ",\"args\":{\"name\":";
    append_json_string(*out_, name);
    *out_ += "}}";
}

void ChromeEvents::slice_begin(int pid, int tid, Instant at, std::string_view name, std::span<const TraceFieldView> a) {
    open('B', pid, tid, name);
    ts(at);
    args(a);
    *out_ += '}';
}

void ChromeEvents::slice_end(int pid, int tid, Instant at) {
    open('E', pid, tid, "");
    ts(at);
    *out_ += '}';
}

void ChromeEvents::mark(int pid, int tid, Instant at, std::string_view name, std::span<const TraceFieldView> a) {
    open('X', pid, tid, name);
    ts(at);
    *out_ += ",\"dur\":0";
    args(a);
    *out_ += '}';
}

void ChromeEvents::instant(int pid, int tid, Instant at, std::string_view name, std::span<const TraceFieldView> a,
                           bool global) {
    open('i', pid, tid, name);
    ts(at);
    *out_ += global ? ",\"s\":\"g\"" : ",\"s\":\"t\"";
    args(a);
    *out_ += '}';
}

void ChromeEvents::counter(int pid, Instant at, std::string_view name, std::string_view series, std::int64_t value) {
    open('C', pid, 0, name);
    ts(at);
    *out_ += ",\"args\":{";
    append_json_string(*out_, series);
    *out_ += ':';
    append_int(*out_, value);
    *out_ += "}}";
}

void ChromeEvents::flow_start(int pid, int tid, Instant at, std::uint64_t id, std::string_view name) {
    open('s', pid, tid, name);
    ts(at);
    *out_ += ",\"cat\":\"segment\",\"id\":";
    append_int(*out_, static_cast<std::int64_t>(id));
    *out_ += '}';
}

void ChromeEvents::flow_end(int pid, int tid, Instant at, std::uint64_t id, std::string_view name) {
    open('f', pid, tid, name);
    ts(at);
    *out_ += ",\"cat\":\"segment\",\"bp\":\"e\",\"id\":";
    append_int(*out_, static_cast<std::int64_t>(id));
    *out_ += '}';
}

}  // namespace netsim::trace
