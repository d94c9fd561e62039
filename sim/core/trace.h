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
};

// Room for up to N fields, added one by one, for a record whose field list depends on the
// call. The room is never initialised as a whole: a default-constructed array of N fields
// costs a block clear on every record, and copying an initializer list a block move.
template <std::size_t N>
class TraceFieldList {
public:
    TraceFieldList() {}
    void add(std::string_view key, const TraceValueView& value) {
        if (size_ >= N) std::abort();  // more fields than the caller made room for
        std::construct_at(&fields_[size_++], key, value);
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

// The trace hash's step over the canonical encoding, exposed so tests can rebuild it by hand.
class TraceHasher {
public:
    explicit TraceHasher(std::uint64_t state = Trace::empty_hash) : state_(state) {}
    void add_u64(std::uint64_t word) {
        state_ = (state_ ^ word) * Fnv1a64::prime;
        state_ = (state_ << 29) | (state_ >> 35);
    }
    // A string of up to 7 bytes is one word: its bytes in little-endian order, the length in the
    // top byte. A longer one is the word (0xff << 56 | length), then its bytes in little-endian
    // 8-byte words, the last one zero-padded. Inline, so that hashing a record keeps the state in
    // a register instead of a store and a load per word. A partial word is assembled from
    // overlapping loads that stay inside the string: the bytes two loads share are the same
    // bytes at the same positions, so OR-ing them is exact.
    void add_string(std::string_view s) { add_marked_string(s, 0); }
    // A field's key with its value's tag (0 = int64, 1 = string, 2 = label, 3 = endpoint) in the
    // string's first word: a key of up to 7 bytes has (length | tag << 4) in its top byte, a
    // longer one starts with (0xff << 56 | tag << 48 | length).
    void add_key(std::string_view key, unsigned tag) { add_marked_string(key, tag); }
    std::uint64_t value() const { return state_; }

    // Eight (four) bytes as a little-endian word, whatever the host's byte order.
    static std::uint64_t load_le64(const char* bytes) {
        std::uint64_t w;
        std::memcpy(&w, bytes, 8);
        if constexpr (std::endian::native == std::endian::big) w = __builtin_bswap64(w);
        return w;
    }
    // Up to 7 bytes as a little-endian word.
    static std::uint64_t short_string_word(const char* p, std::size_t n) {
        if (n == 0) return 0;
        if (n <= 3) {
            const auto byte = [&](std::size_t i) { return std::uint64_t{static_cast<std::uint8_t>(p[i])} << (8 * i); };
            return byte(0) | byte(n / 2) | byte(n - 1);
        }
        return std::uint64_t{load_le32(p)} | std::uint64_t{load_le32(p + n - 4)} << (8 * (n - 4));
    }
    // The two lanes a record is hashed in (see trace.cc), and the word that joins them: a
    // bijection of each lane's state for a fixed other, so a record that differs in one word
    // gives a different word.
    static constexpr std::uint64_t names_seed = Fnv1a64::offset_basis;
    static constexpr std::uint64_t values_seed = 0x9e3779b97f4a7c15ULL;
    static std::uint64_t record_word(std::uint64_t names, std::uint64_t values) {
        values *= Fnv1a64::prime;
        return names ^ ((values << 32) | (values >> 32));
    }
    static std::uint32_t load_le32(const char* bytes) {
        std::uint32_t w;
        std::memcpy(&w, bytes, 4);
        if constexpr (std::endian::native == std::endian::big) w = __builtin_bswap32(w);
        return w;
    }

private:
    void add_marked_string(std::string_view s, unsigned tag) {
        const std::size_t n = s.size();
        const char* p = s.data();
        if (n < 8) {
            add_u64(short_string_word(p, n) | std::uint64_t{n | tag << 4} << 56);
            return;
        }
        add_u64(std::uint64_t{0xff} << 56 | std::uint64_t{tag} << 48 | n);
        std::size_t i = 0;
        for (; i + 8 <= n; i += 8) add_u64(load_le64(p + i));
        if (const std::size_t rest = n - i; rest > 0) add_u64(load_le64(p + n - 8) >> (8 * (8 - rest)));
    }

    std::uint64_t state_;
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
