// The few text pieces every writer appends, fast and without fmt: decimal integers, an instant
// as seconds with nanosecond digits ("0.121000000"), a field value as the timeline shows it
// (strings quoted when they hold a space, quote, `=` or newline), and JSON string literals
// (RFC 8259 escaping; bytes that are not UTF-8 become U+FFFD, so the output is always valid).
#pragma once

#include "sim/core/trace.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace netsim::trace {

void append_int(std::string& out, std::int64_t value);
// "S.NNNNNNNNN", seconds since the start of the run; negative instants get a "-".
void append_seconds(std::string& out, Instant at);
// Integers in decimal, endpoints as "127.0.0.1:80", text quoted when it must be (see above).
void append_timeline_value(std::string& out, const TraceValueView& value);
// `"..."` with JSON escapes.
void append_json_string(std::string& out, std::string_view text);
// A JSON value: a number for an integer, a string for anything else.
void append_json_value(std::string& out, const TraceValueView& value);

}  // namespace netsim::trace
