// The run's trace: every state change a component reports becomes a structured record
// (instant, source, kind, fields), in the order reported. The trace keeps a 64-bit hash of all
// records over a canonical, length-prefixed, little-endian encoding (see `trace.cc`), so two
// runs with identical traces have the same hash on every machine.
//
// Reporting a record costs no allocation: components pass a `TraceRecordView` whose strings
// are views (kinds, keys and labels are literals, sources are the component's own names,
// computed text lives in the caller's temporaries for the duration of the call). Text is made
// only by writers. A `TraceLabel` is text hashed by a stable code, so rewording a reason does
// not change every trace hash. Sinks (writers, oracles watching live) see the views; keeping
// records in memory copies them into owned `TraceRecord`s, off by default.
#pragma once

#include "sim/core/hash.h"
#include "sim/core/trace_hasher.h"
#include "sim/core/trace_name.h"
#include "sim/core/time.h"
#include "sim/core/trace_endpoint.h"

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <initializer_list>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

namespace netsim {

// A reason or other enumerated value: hashed by `code`, shown as `text`.
struct TraceLabel {
    std::uint32_t code = 0;
    std::string_view text;
};

using TraceValueView = std::variant<std::int64_t, std::string_view, TraceLabel, TraceEndpoint>;

struct TraceFieldView {
    std::string_view key;
    TraceValueView value;
};

struct TraceRecordView {
    Instant at;
    std::string_view source;  // who reports: "sim", "host-a/kernel", "client/channel"
    std::string_view kind;    // what happened: "tcp.state", "port.bind", "run.end"
    std::span<const TraceFieldView> fields;
    // The hash lane states after `source` and after `kind` when the reporter knows them
    // (TraceSource, TraceKind); 0: hashed from the text. The hash is the same either way.
    std::uint64_t source_lane = 0;
    std::uint64_t kind_lane = 0;
};

// Room for up to N fields, added one by one, for a record whose field list depends on the
// call. The room is never initialised as a whole: a default-constructed array of N fields
// costs a block clear on every record, and copying an initializer list a block move.
template <std::size_t N>
class TraceFieldList {
public:
    TraceFieldList() {}
    // The value is built in its place (a copy of a just-built variant costs a stalled load).
    template <typename V>
    void add(std::string_view key, V&& value) {
        if (size_ >= N) std::abort();  // more fields than the caller made room for
        TraceFieldView* f = &fields_[size_++];
        std::construct_at(&f->key, key);
        std::construct_at(&f->value, std::forward<V>(value));
    }
    void add(const TraceFieldView& field) { add(field.key, field.value); }
    std::span<const TraceFieldView> span() const { return {fields_, size_}; }

private:
    static_assert(std::is_trivially_copyable_v<TraceFieldView> && std::is_trivially_destructible_v<TraceFieldView>);
    union {
        TraceFieldView fields_[N];
    };
    std::size_t size_ = 0;
};

// A record kept after the call that reported it (labels and endpoints become their text).
using TraceValue = std::variant<std::int64_t, std::string>;

struct TraceField {
    std::string key;
    TraceValue value;
};

struct TraceRecord {
    Instant at;
    std::string source;
    std::string kind;
    std::vector<TraceField> fields;

    static TraceRecord from(const TraceRecordView& view);
    // The value of field `key` as text ("" when absent).
    std::string field(std::string_view key) const;
};

// Receives every record as it is appended (trace writers, oracles watching live). The view's
// strings are valid only during the call: copy what must outlive it (TraceRecord::from).
class TraceSink {
public:
    virtual ~TraceSink() = default;
    virtual void on_record(const TraceRecordView& record) = 0;
};

class Trace {
public:
    void append(const TraceRecordView& record);
    void append(const TraceRecord& record);

    // The hash of every record appended so far, in order.
    std::uint64_t hash() const { return hash_; }
    std::uint64_t record_count() const { return count_; }

    // Keeping records in memory is off by default (the hash is always kept).
    void retain_records(bool on) { retain_ = on; }
    const std::vector<TraceRecord>& records() const { return records_; }

    // Sinks are not owned and must outlive the trace or be removed first.
    void add_sink(TraceSink* sink);
    void remove_sink(TraceSink* sink);

    static constexpr std::uint64_t empty_hash = Fnv1a64::offset_basis;

private:
    std::uint64_t hash_ = empty_hash;
    std::uint64_t count_ = 0;
    bool retain_ = false;
    std::vector<TraceRecord> records_;
    std::vector<TraceSink*> sinks_;
};

// A value's text, unquoted: integers in decimal, labels by their text, endpoints as
// "127.0.0.1:8080" / "[::1]:8080". Returns a view of the string itself or of `scratch`.
std::string_view trace_value_text(const TraceValueView& value, std::string& scratch);

// A value as a timeline shows it: integers in decimal, endpoints as text, strings and labels
// quoted (with \" and \n escapes) when empty or holding a space, quote, `=` or newline.
void append_trace_value(std::string& out, const TraceValueView& value);

// One line: "<instant> <source> <kind> key=value ...", strings quoted when they contain spaces.
std::string format_trace_record(const TraceRecordView& record);
std::string format_trace_record(const TraceRecord& record);
// 16 lowercase hex digits, as printed after "trace-hash: ".
std::string format_trace_hash(std::uint64_t hash);

}  // namespace netsim
