#include "sim/core/trace.h"

#include "sim/core/check.h"

#include <algorithm>

namespace netsim {

namespace {

// Canonical encoding of one record, fed to the hash:
//   u64 instant_ns, str source, str kind, u64 field_count,
//   per field: str key, u8 tag (0 = int64, 1 = string), then u64 value or str value,
// where u64 is 8 bytes little-endian and str is a u64 length followed by the bytes.
void hash_record(Fnv1a64& h, const TraceRecord& r) {
    h.add_u64(static_cast<std::uint64_t>(r.at.count_ns()));
    h.add_string(r.source);
    h.add_string(r.kind);
    h.add_u64(r.fields.size());
    for (const TraceField& f : r.fields) {
        h.add_string(f.key);
        if (const auto* i = std::get_if<std::int64_t>(&f.value)) {
            h.add_byte(0);
            h.add_u64(static_cast<std::uint64_t>(*i));
        } else {
            h.add_byte(1);
            h.add_string(std::get<std::string>(f.value));
        }
    }
}

std::string format_value(const TraceValue& v) {
    if (const auto* i = std::get_if<std::int64_t>(&v)) return fmt::format("{}", *i);
    const std::string& s = std::get<std::string>(v);
    const bool plain = !s.empty() && std::none_of(s.begin(), s.end(), [](char c) {
        return c == ' ' || c == '"' || c == '=' || c == '\n';
    });
    if (plain) return s;
    std::string quoted = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') quoted += '\\';
        if (c == '\n') { quoted += "\\n"; continue; }
        quoted += c;
    }
    return quoted + "\"";
}

}  // namespace

void Trace::append(TraceRecord record) {
    hash_record(hash_, record);
    ++count_;
    for (TraceSink* sink : sinks_) sink->on_record(record);
    if (retain_) records_.push_back(std::move(record));
}

void Trace::add_sink(TraceSink* sink) {
    NETSIM_CHECK(sink != nullptr);
    sinks_.push_back(sink);
}

void Trace::remove_sink(TraceSink* sink) { std::erase(sinks_, sink); }

std::string format_trace_record(const TraceRecord& record) {
    std::string line = fmt::format("{} {} {}", record.at, record.source, record.kind);
    for (const TraceField& f : record.fields) line += fmt::format(" {}={}", f.key, format_value(f.value));
    return line;
}

std::string format_trace_hash(std::uint64_t hash) { return fmt::format("{:016x}", hash); }

}  // namespace netsim
