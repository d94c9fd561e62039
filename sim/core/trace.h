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

#include "sim/core/check.h"
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
    // The source's and the kind's parts of the record's hash when the reporter knows them
    // (TraceSource, TraceKind); 0: hashed from the text. The hash is the same either way.
    std::uint64_t source_part = 0;
    std::uint64_t kind_part = 0;
};

// A field's key marked with its value's tag, from its text or from the word computed ahead.
[[gnu::always_inline]] inline void hash_key(TraceHasher& h, std::string_view key, unsigned tag) { h.add_key(key, tag); }
[[gnu::always_inline]] inline void hash_key(TraceHasher& h, const TraceKey& key, unsigned tag) { key.hash(h, tag); }
// A field's words in the fields part of its record's hash (see trace.cc): its key marked with
// the value's tag, then the value. Instantiated per value type, so that a field whose type the
// caller knows is hashed without looking at a variant.
template <typename Key, typename V>
[[gnu::always_inline]] inline void hash_field(TraceHasher& h, const Key& key, const V& value) {
    if constexpr (std::is_same_v<V, std::int64_t>) {
        hash_key(h, key, 0);
        h.add_u64(static_cast<std::uint64_t>(value));
    } else if constexpr (std::is_same_v<V, std::string_view>) {
        hash_key(h, key, 1);
        h.add_string(value);
    } else if constexpr (std::is_same_v<V, TraceLabel>) {
        hash_key(h, key, 2);
        h.add_u64(value.code);
    } else {
        static_assert(std::is_same_v<V, TraceEndpoint>);
        hash_key(h, key, 3);
        const std::uint64_t head = std::uint64_t{value.v6} | std::uint64_t{value.has_port} << 1 | std::uint64_t{value.port} << 16;
        const char* bytes = reinterpret_cast<const char*>(value.bytes.data());
        if (!value.v6) {
            // An IPv4 endpoint is its address bytes 12..15 (all its text shows) in the same word.
            h.add_u64(head | std::uint64_t{TraceHasher::load_le32(bytes + 12)} << 32);
            return;
        }
        h.add_u64(head);
        h.add_u64(TraceHasher::load_le64(bytes));
        h.add_u64(TraceHasher::load_le64(bytes + 8));
    }
}
// True for the value types hash_field<Key, V> takes directly; any other value is hashed through
// the variant it converts to.
template <typename T>
inline constexpr bool hashed_by_type = std::is_same_v<T, std::int64_t> || std::is_same_v<T, std::string_view> ||
                                       std::is_same_v<T, TraceLabel> || std::is_same_v<T, TraceEndpoint>;
[[gnu::always_inline]] inline void hash_field(TraceHasher& h, const TraceFieldView& field) {
    std::visit([&](const auto& value) { hash_field(h, field.key, value); }, field.value);
}
// The fields part of a record's hash.
[[gnu::always_inline]] inline std::uint64_t fields_part_of(std::span<const TraceFieldView> fields) {
    TraceHasher h(TraceHasher::fields_domain);
    for (const TraceFieldView& f : fields) hash_field(h, f);
    return h.value();
}

// Room for up to N fields, added one by one, for a record whose field list depends on the
// call; each field is hashed as it is added, by its type (fields_part() is fields_part_of the
// list), and kept as a view for the trace's sinks. The room is never initialised as a whole: a
// default-constructed array of N fields costs a block clear on every record, and copying an
// initializer list a block move. (A record nobody observes needs no views: Simulation::record
// with a callable hashes it through TraceFieldHasher instead.)
template <std::size_t N>
class TraceFieldList {
public:
    TraceFieldList() {}
    // The value is built in its place (a copy of a just-built variant costs a stalled load).
    template <typename V>
    [[gnu::always_inline]] void add(TraceKey key, V&& value) {
        if (size_ >= N) std::abort();  // more fields than the caller made room for
        using T = std::remove_cvref_t<V>;
        constexpr bool typed = hashed_by_type<T>;
        if constexpr (typed) hash_field(hash_, key, static_cast<const T&>(value));
        TraceFieldView* f = &fields_[size_++];
        std::construct_at(&f->key, key.text());
        std::construct_at(&f->value, std::forward<V>(value));
        if constexpr (!typed) hash_field(hash_, *f);
    }
    // A field whose key is not a literal.
    void add(const TraceFieldView& field) {
        if (size_ >= N) std::abort();
        hash_field(hash_, field);
        std::construct_at(&fields_[size_++], field);
    }
    std::span<const TraceFieldView> record_span() const { return {fields_, size_}; }
    std::uint64_t fields_part() const { return hash_.value(); }
    std::size_t size() const { return size_; }

private:
    static_assert(std::is_trivially_copyable_v<TraceFieldView> && std::is_trivially_destructible_v<TraceFieldView>);
    union {
        TraceFieldView fields_[N];
    };
    std::size_t size_ = 0;
    TraceHasher hash_{TraceHasher::fields_domain};
};

// The fields part of a record whose fields a reporter adds through a callable (see
// Simulation::record): the same words TraceFieldList hashes, in the same order, with no views
// and no room to fill, so that the hashing state stays in registers.
class TraceFieldHasher {
public:
    template <typename V>
    [[gnu::always_inline]] void add(TraceKey key, V&& value) {
        using T = std::remove_cvref_t<V>;
        if constexpr (hashed_by_type<T>) {
            hash_field(hash_, key, static_cast<const T&>(value));
        } else {
            hash_field(hash_, TraceFieldView{key.text(), TraceValueView(std::forward<V>(value))});
        }
        ++count_;
    }
    std::size_t size() const { return count_; }
    std::uint64_t fields_part() const { return hash_.value(); }

private:
    TraceHasher hash_{TraceHasher::fields_domain};
    std::size_t count_ = 0;
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
    void append(const TraceRecordView& record) {
        if (!hashing_ && !observed_) return;
        append(record, hashing_ ? fields_part_of(record.fields) : 0);
    }
    void append(const TraceRecord& record);
    // The same for a record whose fields part the caller computed (TraceFieldList): with no
    // sink and no retention, a record costs its hash and nothing else.
    void append(const TraceRecordView& record, std::uint64_t fields_part) {
        if (!hashing_) {
            if (observed_) deliver(record);
            return;
        }
        const std::uint64_t source = record.source_part != 0 ? record.source_part : source_part_of(record.source);
        const std::uint64_t kind = record.kind_part != 0 ? record.kind_part : kind_part_of(record.kind);
        append_hash(record.at, source, kind, record.fields.size(), fields_part);
        if (observed_) deliver(record);
    }
    // The hash step alone, for a reporter that has every part at hand (Simulation::record with a
    // TraceFieldList); if the trace is observed, the reporter then hands the record to
    // deliver(), so that a record nobody looks at never has its view built.
    [[gnu::always_inline]] void append_hash(Instant at, std::uint64_t source_part, std::uint64_t kind_part,
                                            std::size_t field_count, std::uint64_t fields_part) {
        if (!hashing_) return;
        TraceHasher header(TraceHasher::header_domain);
        header.add_u64(static_cast<std::uint64_t>(at.count_ns()));
        header.add_u64(field_count);
        hash_ = TraceHasher::step(hash_, TraceHasher::record_word(source_part + kind_part + header.value() + fields_part));
        ++count_;
    }
    // Hands a record already hashed by append_hash to the sinks, and keeps it if asked.
    void deliver(const TraceRecordView& record);

    // The hash of every record appended so far, in order, and their number; only while hashing.
    std::uint64_t hash() const {
        NETSIM_CHECK_MSG(hashing_, "the trace was not hashed (stop_hashing)");
        return hash_;
    }
    std::uint64_t record_count() const {
        NETSIM_CHECK_MSG(hashing_, "the trace was not hashed (stop_hashing)");
        return count_;
    }
    // Hashing is on from the start. Off, a record nobody observes costs nothing at all (not even
    // the building of its fields: see Simulation::record): for runs whose hash nobody reads, such
    // as a fuzzer's passing seeds. Sinks and retention still see every record. Only before the
    // first record, and for good, so that a hash never covers part of a run.
    bool hashing() const { return hashing_; }
    void stop_hashing() {
        NETSIM_CHECK_MSG(count_ == 0, "stop hashing before the first record, not after {}", count_);
        hashing_ = false;
    }

    // True when records are looked at (a sink, or retention): only then are views needed.
    bool observed() const { return observed_; }
    // Keeping records in memory is off by default (the hash is always kept).
    void retain_records(bool on) {
        retain_ = on;
        observed_ = retain_ || !sinks_.empty();
    }
    const std::vector<TraceRecord>& records() const { return records_; }

    // Sinks are not owned and must outlive the trace or be removed first.
    void add_sink(TraceSink* sink);
    void remove_sink(TraceSink* sink);

    static constexpr std::uint64_t empty_hash = Fnv1a64::offset_basis;

private:
    std::uint64_t hash_ = empty_hash;
    std::uint64_t count_ = 0;
    bool retain_ = false;
    bool observed_ = false;  // retain_ or a sink
    bool hashing_ = true;
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
