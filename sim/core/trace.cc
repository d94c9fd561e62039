#include "sim/core/trace.h"

#include "sim/core/check.h"

#include <algorithm>
#include <array>
#include <bit>
#include <charconv>
#include <cstring>

namespace netsim {

// Canonical encoding of one record, in four parts of u64 words:
//   source:  str source;
//   kind:    str kind;
//   header:  u64 instant_ns, u64 field_count;
//   fields:  per field, its key marked with the value's tag (0 = int64, 1 = string, 2 = label,
//            3 = endpoint; see TraceHasher::add_key), then u64 value for an int64, str value for
//            a string, u64 code for a label, and for an endpoint the word (v6 | has_port << 1 |
//            port << 16), which for IPv4 also holds the address (bytes 12..15) in its top 32
//            bits, and for IPv6 is followed by the 16 address bytes as two u64 words;
// where str is, for up to 7 bytes, one word of the bytes in little-endian order with the length
// in the top byte, and otherwise the word (0xff << 56 | length) followed by the bytes in
// little-endian 8-byte words, the last one zero-padded (the top byte tells the forms apart).
// Strings and keys are self-delimiting, the count says how many fields follow and each key's tag
// how to read its value, so the encoding is injective.
// A part's hash is the sum of its words, the word at position i mixed with the key
// (domain + i * step) by a bijection (TraceHasher::mix); each part has its own domain. The
// record's word is a bijection (MurmurHash3's finaliser) of the sum of its four parts, and each
// record word updates the trace's hash as h = rotl((h ^ w) * p, 29) with FNV-1a's 64-bit prime
// p, a bijection of h for every w. Two traces that differ in one word never share a hash.
// Why sums of independent mixes: no mix waits for another, so hashing a record costs a few
// instructions per word instead of a chain of multiplies; a source's or a kind's part can be
// computed once (TraceSource, or at compile time for TraceKind); and a field's words can be
// hashed where the field is added, by its type (TraceFieldList).

namespace {

// The view of an owned record, with its fields in `storage` (grown as needed).
TraceRecordView view_of(const TraceRecord& r, std::vector<TraceFieldView>& storage) {
    storage.clear();
    for (const TraceField& f : r.fields) {
        if (const auto* i = std::get_if<std::int64_t>(&f.value)) storage.push_back({f.key, *i});
        else storage.push_back({f.key, std::string_view(std::get<std::string>(f.value))});
    }
    return TraceRecordView{r.at, r.source, r.kind, storage};
}

}  // namespace

void append_trace_value(std::string& line, const TraceValueView& v) {
    if (const auto* i = std::get_if<std::int64_t>(&v)) {
        char digits[24];
        line.append(digits, std::to_chars(digits, digits + sizeof digits, *i).ptr);
        return;
    }
    if (const auto* e = std::get_if<TraceEndpoint>(&v)) {
        append_endpoint_text(line, *e);
        return;
    }
    const std::string_view s =
        std::holds_alternative<std::string_view>(v) ? std::get<std::string_view>(v) : std::get<TraceLabel>(v).text;
    const bool plain = !s.empty() && std::none_of(s.begin(), s.end(), [](char c) {
        return c == ' ' || c == '"' || c == '=' || c == '\n';
    });
    if (plain) {
        line += s;
        return;
    }
    line += '"';
    for (char c : s) {
        if (c == '"' || c == '\\') line += '\\';
        if (c == '\n') {
            line += "\\n";
            continue;
        }
        line += c;
    }
    line += '"';
}

std::string_view trace_value_text(const TraceValueView& v, std::string& scratch) {
    if (const auto* i = std::get_if<std::int64_t>(&v)) {
        scratch = fmt::format("{}", *i);
        return scratch;
    }
    if (const auto* s = std::get_if<std::string_view>(&v)) return *s;
    if (const auto* l = std::get_if<TraceLabel>(&v)) return l->text;
    scratch = endpoint_text(std::get<TraceEndpoint>(v));
    return scratch;
}

TraceRecord TraceRecord::from(const TraceRecordView& view) {
    TraceRecord r{view.at, std::string(view.source), std::string(view.kind), {}};
    r.fields.reserve(view.fields.size());
    std::string scratch;
    for (const TraceFieldView& f : view.fields) {
        if (const auto* i = std::get_if<std::int64_t>(&f.value)) r.fields.push_back({std::string(f.key), *i});
        else r.fields.push_back({std::string(f.key), std::string(trace_value_text(f.value, scratch))});
    }
    return r;
}

std::string TraceRecord::field(std::string_view key) const {
    for (const TraceField& f : fields) {
        if (f.key != key) continue;
        if (const auto* i = std::get_if<std::int64_t>(&f.value)) return fmt::format("{}", *i);
        return std::get<std::string>(f.value);
    }
    return "";
}

void Trace::deliver(const TraceRecordView& record) {
    for (TraceSink* sink : sinks_) sink->on_record(record);
    if (retain_) records_.push_back(TraceRecord::from(record));
}

void Trace::append(const TraceRecord& record) {
    std::vector<TraceFieldView> storage;
    append(view_of(record, storage));
}

void Trace::add_sink(TraceSink* sink) {
    NETSIM_CHECK(sink != nullptr);
    sinks_.push_back(sink);
    observed_ = true;
}

void Trace::remove_sink(TraceSink* sink) {
    std::erase(sinks_, sink);
    observed_ = retain_ || !sinks_.empty();
}

std::string format_trace_record(const TraceRecordView& record) {
    std::string line = fmt::format("{} {} {}", record.at, record.source, record.kind);
    for (const TraceFieldView& f : record.fields) {
        line += ' ';
        line += f.key;
        line += '=';
        append_trace_value(line, f.value);
    }
    return line;
}

std::string format_trace_record(const TraceRecord& record) {
    std::vector<TraceFieldView> storage;
    return format_trace_record(view_of(record, storage));
}

std::string format_trace_hash(std::uint64_t hash) { return fmt::format("{:016x}", hash); }

}  // namespace netsim
