// Reading a `TraceRecordView` the way every writer needs to: a field by key, typed, and the
// parts of a record's source. Sources name a component: "machine/kernel" (a host's kernel),
// "client/channel" (a part of channel `client`), "a" (server a), "tests#7" (process 7 of
// noise `tests`), "net", "timeline". No allocation; views live as long as the record.
#pragma once

#include "sim/core/trace.h"

#include <cstdint>
#include <optional>
#include <string_view>

namespace netsim::trace {

const TraceValueView* find_field(const TraceRecordView& r, std::string_view key);
std::optional<std::int64_t> int_field(const TraceRecordView& r, std::string_view key);
// A string or a label's text ("" when absent or an integer or an endpoint).
std::string_view text_field(const TraceRecordView& r, std::string_view key);
const TraceEndpoint* endpoint_field(const TraceRecordView& r, std::string_view key);

// "machine/kernel" -> "machine"; "client/channel" -> "client"; "a" -> "a".
std::string_view source_component(std::string_view source);
// The scenario name behind a component: "tests#7" -> "tests"; "client/channel" -> "client".
std::string_view source_name(std::string_view source);
// The host of a kernel's source ("machine/kernel" -> "machine"), empty for any other source.
std::string_view kernel_host(std::string_view source);

// A segment record from the network: source "net", kind "tx", "drop" or "wait".
bool is_segment(const TraceRecordView& r);

}  // namespace netsim::trace
