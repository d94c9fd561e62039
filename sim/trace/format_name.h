// The writers' formats by name, as `--format` spells them, and the one place that makes a
// format: `text`, `jsonl`, `chrome`, `pcap`, `svg`. A file name's extension suggests one
// (`.txt`/`.log` text, `.jsonl`, `.json` chrome, `.pcap`, `.svg`) when `--format` is absent.
#pragma once

#include "sim/trace/placement.h"
#include "sim/trace/trace_format.h"

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace netsim::trace {

enum class FormatName { text, jsonl, chrome, pcap, svg };

std::optional<FormatName> parse_format_name(std::string_view name);
std::optional<FormatName> format_for_file(std::string_view path);
std::string_view to_string(FormatName name);
// "text|jsonl|chrome|pcap|svg"
std::string_view format_names();
// Binary formats must go to a file, not a terminal.
bool is_binary(FormatName name);

// What a format may know about the run besides its records.
struct FormatContext {
    Placement placement;
    std::string title;  // "pick_first_restart, seed 379" (the SVG's heading)
};

std::unique_ptr<TraceFormat> make_format(FormatName name, const FormatContext& context);

}  // namespace netsim::trace
