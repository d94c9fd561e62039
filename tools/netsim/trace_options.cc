// Parsing `netsim run`'s trace options (see trace_options.h).
#include "tools/netsim/trace_options.h"

#include "tools/netsim/scenario_args.h"

#include <fmt/core.h>

#include <algorithm>
#include <array>

namespace netsim::cli {

namespace {

constexpr std::array<std::string_view, 10> trace_flags{"--trace",       "--format",      "--trace-host",
                                                        "--trace-process", "--trace-port", "--trace-socket",
                                                        "--trace-kind",  "--trace-from",  "--trace-until",
                                                        "--around-failure"};

// "a,b,c" -> {"a", "b", "c"} (empty items dropped).
std::vector<std::string> split_list(const std::string& text) {
    std::vector<std::string> items;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t comma = std::min(text.find(',', start), text.size());
        if (comma > start) items.push_back(text.substr(start, comma - start));
        start = comma + 1;
    }
    return items;
}

std::optional<std::string> add_numbers(const std::string& flag, const std::string& value, std::int64_t max,
                                       std::vector<std::int64_t>& into) {
    for (const std::string& item : split_list(value)) {
        auto n = parse_count(item);
        if (!n || *n > static_cast<std::uint64_t>(max))
            return fmt::format("{} needs a whole number up to {}, got '{}'", flag, max, item);
        into.push_back(static_cast<std::int64_t>(*n));
    }
    if (split_list(value).empty()) return fmt::format("{} needs a value", flag);
    return std::nullopt;
}

std::optional<std::string> apply(const std::string& flag, const std::string& value, TraceRequest& r) {
    if (flag == "--trace") {
        if (value.empty()) return std::string("--trace needs a file name (or - for standard output)");
        r.file = value;
    } else if (flag == "--format") {
        auto format = trace::parse_format_name(value);
        if (!format) return fmt::format("--format needs one of {}, got '{}'", trace::format_names(), value);
        r.format = format;
    } else if (flag == "--trace-host" || flag == "--trace-process" || flag == "--trace-kind") {
        auto items = split_list(value);
        if (items.empty()) return fmt::format("{} needs a value", flag);
        auto& into = flag == "--trace-host" ? r.filter.hosts : flag == "--trace-process" ? r.filter.processes : r.filter.kinds;
        into.insert(into.end(), items.begin(), items.end());
    } else if (flag == "--trace-port") {
        return add_numbers(flag, value, 65535, r.filter.ports);
    } else if (flag == "--trace-socket") {
        return add_numbers(flag, value, INT64_MAX, r.filter.sockets);
    } else {
        auto d = parse_duration(value);
        if (!d) return fmt::format("{} needs a duration such as 120ms or 2s, got '{}'", flag, value);
        if (flag == "--trace-from") r.filter.from = Instant::at(*d);
        else if (flag == "--trace-until") r.filter.until = Instant::at(*d);
        else r.around_failure = *d;
        if (flag != "--around-failure") r.has_window = true;
    }
    return std::nullopt;
}

}  // namespace

OptionParse parse_trace_option(const std::vector<std::string>& args, std::size_t& i, TraceRequest& request,
                               std::string& error) {
    const std::string& flag = args[i];
    if (std::find(trace_flags.begin(), trace_flags.end(), flag) == trace_flags.end()) return OptionParse::not_mine;
    if (i + 1 >= args.size()) {
        error = fmt::format("{} needs a value (see --help)", flag);
        return OptionParse::error;
    }
    if (auto problem = apply(flag, args[++i], request)) {
        error = *problem;
        return OptionParse::error;
    }
    return OptionParse::ok;
}

std::optional<std::string> finish_trace_request(TraceRequest& r, bool verbose) {
    const bool filtered = !r.filter.hosts.empty() || !r.filter.processes.empty() || !r.filter.ports.empty() ||
                          !r.filter.sockets.empty() || !r.filter.kinds.empty() || r.has_window || r.around_failure;
    // The window's checks hold for -v as for --trace.
    if (r.filter.from > r.filter.until) return std::string("--trace-from is after --trace-until");
    if (r.around_failure && r.has_window) return std::string("--around-failure sets the window: leave out --trace-from/--trace-until");
    if (r.file.empty()) {
        if (r.format) return std::string("--format needs --trace FILE");
        if (filtered && !verbose) return std::string("the --trace-* filters need --trace FILE or -v");
        return std::nullopt;
    }
    if (r.file == "-" && verbose) return std::string("-v and --trace - would both write to standard output");
    if (!r.format) r.format = trace::format_for_file(r.file);
    if (!r.format)
        return fmt::format("--trace {}: say which format with --format {} (the name's extension does not tell)", r.file,
                           trace::format_names());
    return std::nullopt;
}

std::optional<std::string> check_trace_names(const TraceRequest& request, const std::vector<std::string>& hosts,
                                             const std::vector<std::string>& components) {
    auto join = [](const std::vector<std::string>& names) {
        std::string out;
        for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
        return out;
    };
    for (const std::string& h : request.filter.hosts)
        if (std::find(hosts.begin(), hosts.end(), h) == hosts.end())
            return fmt::format("--trace-host {}: the scenario has no such host (hosts: {})", h, join(hosts));
    auto known = [&](const std::string& name) {
        return std::find(components.begin(), components.end(), name) != components.end();
    };
    for (const std::string& p : request.filter.processes)
        if (!known(p) && !known(p.substr(0, p.find_first_of("/#"))))  // "tests#7", "client/channel"
            return fmt::format("--trace-process {}: the scenario has no such component (components: {})", p,
                               join(components));
    return std::nullopt;
}

std::string_view trace_options_help() {
    return "  --trace FILE       write the run's trace to FILE (- for standard output, the\n"
           "                     report then going to standard error)\n"
           "  --format F         text, jsonl, chrome (Perfetto), pcap (Wireshark) or svg;\n"
           "                     default from FILE's extension (.txt .jsonl .json .pcap .svg)\n"
           "  --trace-host H     only records of host H (its kernel, its processes, its segments)\n"
           "  --trace-process P  only records of component P: a server, channel or noise name\n"
           "  --trace-port N     only records that mention port N\n"
           "  --trace-socket N   only kernel socket N (sock=N) and its connection's segments\n"
           "  --trace-kind K     only records of kind K or SOURCE.KIND; a trailing * matches any\n"
           "                     rest: tcp.state, sys.*, net.tx, server.*\n"
           "  --trace-from T     only records at or after T (120ms, 2s)\n"
           "  --trace-until T    only records at or before T\n"
           "  --around-failure D only records within D of the first violation (the whole run if\n"
           "                     it holds)\n"
           "                     Filters take comma lists or repeat; they apply to -v too.\n";
}

}  // namespace netsim::cli
