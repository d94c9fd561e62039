#include "sim/core/trace.h"

#include "sim/core/check.h"

#include <algorithm>
#include <array>
#include <bit>
#include <charconv>
#include <cstring>

namespace netsim {

// Canonical encoding of one record, in three lanes of u64 words:
//   names:  str source, u64 instant_ns, u64 field_count;
//   kinds:  str kind, then per field its key marked with the value's tag (0 = int64,
//           1 = string, 2 = label, 3 = endpoint; see TraceHasher::add_key);
//   values: per field, u64 value for an int64, str value for a string, u64 code for a label,
//           and for an endpoint u64 (v6 | has_port << 1 | port << 16) then its 16 address bytes
//           as two u64 words;
// where str is, for up to 7 bytes, one word of the bytes in little-endian order with the length
// in the top byte, and otherwise the word (0xff << 56 | length) followed by the bytes in
// little-endian 8-byte words, the last one zero-padded (the top byte tells the forms apart).
// The names and kinds lanes are self-delimiting and say how to read the values lane, so the
// encoding is injective. Each lane starts from its seed and each word w updates it as
// h = rotl((h ^ w) * p, 29) with FNV-1a's 64-bit prime p, a bijection of h for every w; the
// lanes join into one record word (TraceHasher::record_word), which updates the trace's hash by
// the same step. Two traces that differ in one word never share a hash.
// Why lanes: a record's lanes do not depend on the trace's state until they join, so the
// processor hashes a record while it runs the code around it; and a source or kind starts its
// lane, so its state after the name can be computed once (TraceSource, or at compile time for
// TraceKind) instead of on every record.

namespace {

void hash_record(TraceHasher& h, const TraceRecordView& r) {
    TraceHasher names(r.source_lane != 0 ? r.source_lane : source_lane_after(r.source));
    TraceHasher kinds(r.kind_lane != 0 ? r.kind_lane : kind_lane_after(r.kind));
    TraceHasher values(TraceHasher::values_seed);
    names.add_u64(static_cast<std::uint64_t>(r.at.count_ns()));
    names.add_u64(r.fields.size());
    for (const TraceFieldView& f : r.fields) {
        if (const auto* i = std::get_if<std::int64_t>(&f.value)) {
            kinds.add_key(f.key, 0);
            values.add_u64(static_cast<std::uint64_t>(*i));
        } else if (const auto* s = std::get_if<std::string_view>(&f.value)) {
            kinds.add_key(f.key, 1);
            values.add_string(*s);
        } else if (const auto* l = std::get_if<TraceLabel>(&f.value)) {
            kinds.add_key(f.key, 2);
            values.add_u64(l->code);
        } else {
            const TraceEndpoint& e = std::get<TraceEndpoint>(f.value);
            kinds.add_key(f.key, 3);
            values.add_u64(std::uint64_t{e.v6} | std::uint64_t{e.has_port} << 1 | std::uint64_t{e.port} << 16);
            values.add_u64(TraceHasher::load_le64(reinterpret_cast<const char*>(e.bytes.data())));
            values.add_u64(TraceHasher::load_le64(reinterpret_cast<const char*>(e.bytes.data() + 8)));
        }
    }
    h.add_u64(TraceHasher::record_word(names.value(), kinds.value(), values.value()));
}


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

void Trace::append(const TraceRecordView& record) {
    TraceHasher h(hash_);
    hash_record(h, record);
    hash_ = h.value();
    ++count_;
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
}

void Trace::remove_sink(TraceSink* sink) { std::erase(sinks_, sink); }

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
