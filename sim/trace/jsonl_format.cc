#include "sim/trace/jsonl_format.h"

#include "sim/trace/append_text.h"

namespace netsim::trace {

namespace {

void append_head(std::string& out, Instant at, std::string_view source, std::string_view kind) {
    out += "{\"t_ns\":";
    append_int(out, at.count_ns());
    out += ",\"source\":";
    append_json_string(out, source);
    out += ",\"kind\":";
    append_json_string(out, kind);
    out += ",\"fields\":{";
}

}  // namespace

void JsonlFormat::record(const TraceRecordView& r, std::string& out) {
    append_head(out, r.at, r.source, r.kind);
    bool first = true;
    for (const TraceFieldView& f : r.fields) {
        if (!first) out += ',';
        first = false;
        append_json_string(out, f.key);
        out += ':';
        append_json_value(out, f.value);
    }
    out += "}}\n";
}

void JsonlFormat::violation(const ViolationMark& mark, std::string& out) {
    append_head(out, mark.at, "oracle", "violation");
    out += "\"expectation\":";
    append_json_string(out, mark.expectation);
    out += ",\"what\":";
    append_json_string(out, mark.what);
    out += "}}\n";
}

}  // namespace netsim::trace
