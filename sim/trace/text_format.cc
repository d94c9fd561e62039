#include "sim/trace/text_format.h"

#include "sim/trace/append_text.h"

namespace netsim::trace {

namespace {
constexpr std::size_t instant_width = 13;  // "   0.121000000": seconds up to 9999 stay aligned
}

void TextFormat::append_instant(std::string& out, Instant at, std::string_view lead) {
    out += lead;
    const std::size_t start = out.size();
    append_seconds(out, at);
    const std::size_t used = out.size() - start;
    if (used < instant_width) out.insert(start, instant_width - used, ' ');
    out += "s  ";
}

void TextFormat::append_padded(std::string& out, std::string_view text, std::size_t& width) {
    if (text.size() > width) width = text.size();
    out += text;
    out.append(width - text.size() + 2, ' ');
}

void TextFormat::record(const TraceRecordView& r, std::string& out) {
    append_instant(out, r.at, "  ");
    append_padded(out, r.source, source_width_);
    if (r.fields.empty()) {
        out += r.kind;
        out += '\n';
        return;
    }
    append_padded(out, r.kind, kind_width_);
    bool first = true;
    for (const TraceFieldView& f : r.fields) {
        if (!first) out += ' ';
        first = false;
        out += f.key;
        out += '=';
        append_timeline_value(out, f.value);
    }
    out += '\n';
}

void TextFormat::violation(const ViolationMark& mark, std::string& out) {
    append_instant(out, mark.at, "!!");
    append_padded(out, "VIOLATION", source_width_);
    out += mark.expectation;
    if (!mark.what.empty()) {
        out += ": ";
        out += mark.what;
    }
    out += '\n';
}

}  // namespace netsim::trace
