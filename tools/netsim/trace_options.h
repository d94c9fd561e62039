// The trace options of `netsim run`: where the trace goes (`--trace FILE --format F`), which
// records it keeps (`--trace-host`, `--trace-process`, `--trace-port`, `--trace-socket`,
// `--trace-kind`, `--trace-from`, `--trace-until`, `--around-failure`), parsed with errors that
// say what was expected, then checked together (a window that ends before it starts, a format
// the file's name cannot suggest) once every argument is read.
#pragma once

#include "sim/core/time.h"
#include "sim/trace/format_name.h"
#include "sim/trace/trace_filter.h"

#include <optional>
#include <string>
#include <vector>

namespace netsim::cli {

struct TraceRequest {
    std::string file;                           // "" none, "-" standard output
    std::optional<trace::FormatName> format;    // from --format or the file's extension
    trace::TraceFilterSpec filter;
    std::optional<Duration> around_failure;     // the window's half-width around the first violation
    bool has_window = false;                    // --trace-from or --trace-until given
};

enum class OptionParse { not_mine, ok, error };

// Reads the trace option at args[i] (and its value, advancing i). On error, `error` says why.
OptionParse parse_trace_option(const std::vector<std::string>& args, std::size_t& i, TraceRequest& request,
                               std::string& error);
// After every argument: fills the format from the file name and checks the combination.
std::optional<std::string> finish_trace_request(TraceRequest& request, bool verbose);

// Every --trace-host names one of `hosts` and every --trace-process one of `components`
// (servers, channels, noise sources, "HOST/kernel"; "tests#7" and "client/channel" name parts
// of one); else the message naming what exists.
std::optional<std::string> check_trace_names(const TraceRequest& request, const std::vector<std::string>& hosts,
                                             const std::vector<std::string>& components);

// The option lines of `netsim run --help`.
std::string_view trace_options_help();

}  // namespace netsim::cli
