// The run's trace: every state change a component reports becomes a structured record
// (instant, source, kind, fields), in the order reported. The trace keeps a 64-bit hash of all
// records (FNV-1a over a canonical, length-prefixed, little-endian byte encoding: see
// `trace.cc`), so two runs with byte-identical traces have the same hash on every machine.
// Writers (text timeline, JSON lines, ...) subscribe as sinks and see every record.
#pragma once

#include "sim/core/hash.h"
#include "sim/core/time.h"

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace netsim {

using TraceValue = std::variant<std::int64_t, std::string>;

struct TraceField {
    std::string key;
    TraceValue value;
};

struct TraceRecord {
    Instant at;
    std::string source;  // who reports: "sim", "host-a/kernel", "client/channel"
    std::string kind;    // what happened: "tcp.state", "port.bind", "run.end"
    std::vector<TraceField> fields;
};

// Receives every record as it is appended (trace writers, oracles watching live).
class TraceSink {
public:
    virtual ~TraceSink() = default;
    virtual void on_record(const TraceRecord& record) = 0;
};

class Trace {
public:
    void append(TraceRecord record);

    // The hash of every record appended so far, in order.
    std::uint64_t hash() const { return hash_.value(); }
    std::uint64_t record_count() const { return count_; }

    // Keeping records in memory is off by default (the hash is always kept).
    void retain_records(bool on) { retain_ = on; }
    const std::vector<TraceRecord>& records() const { return records_; }

    // Sinks are not owned and must outlive the trace or be removed first.
    void add_sink(TraceSink* sink);
    void remove_sink(TraceSink* sink);

private:
    Fnv1a64 hash_;
    std::uint64_t count_ = 0;
    bool retain_ = false;
    std::vector<TraceRecord> records_;
    std::vector<TraceSink*> sinks_;
};

// One line: "<instant> <source> <kind> key=value ...", strings quoted when they contain spaces.
std::string format_trace_record(const TraceRecord& record);
// 16 lowercase hex digits, as printed after "trace-hash: ".
std::string format_trace_hash(std::uint64_t hash);

}  // namespace netsim
