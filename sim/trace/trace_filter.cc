#include "sim/trace/trace_filter.h"

#include "sim/trace/record_view.h"

#include <algorithm>

namespace netsim::trace {

namespace {

bool prefix_or_equal(std::string_view pattern, std::string_view text) {
    if (!pattern.empty() && pattern.back() == '*') return text.starts_with(pattern.substr(0, pattern.size() - 1));
    return pattern == text;
}

}  // namespace

bool kind_pattern_matches(std::string_view pattern, std::string_view source, std::string_view kind) {
    if (prefix_or_equal(pattern, kind)) return true;
    // Against SOURCE.KIND, read in place so that nothing is concatenated.
    const bool wild = !pattern.empty() && pattern.back() == '*';
    const std::string_view stem = wild ? pattern.substr(0, pattern.size() - 1) : pattern;
    const std::size_t qualified_size = source.size() + 1 + kind.size();
    if (stem.size() > qualified_size || (!wild && stem.size() != qualified_size)) return false;
    for (std::size_t i = 0; i < stem.size(); ++i) {
        const char c = i < source.size() ? source[i] : i == source.size() ? '.' : kind[i - source.size() - 1];
        if (stem[i] != c) return false;
    }
    return true;
}

TraceFilter::TraceFilter(TraceFilterSpec spec, Placement placement)
    : spec_(std::move(spec)), placement_(std::move(placement)) {
    everything_ = spec_.hosts.empty() && spec_.processes.empty() && spec_.ports.empty() && spec_.sockets.empty() &&
                  spec_.kinds.empty() && spec_.from == Instant::start() && spec_.until == Instant::max();
}

bool TraceFilter::keeps(const TraceRecordView& r) {
    if (everything_) return true;
    if (!keeps_instant(r.at)) return false;
    if (!spec_.kinds.empty() && !kind_matches(r)) return false;
    if (!spec_.hosts.empty() && !host_matches(r)) return false;
    if (!spec_.processes.empty() && !process_matches(r)) return false;
    if (!spec_.ports.empty() && !port_matches(r)) return false;
    if (!spec_.sockets.empty() && !socket_matches(r)) return false;
    return true;
}

bool TraceFilter::kind_matches(const TraceRecordView& r) const {
    return std::any_of(spec_.kinds.begin(), spec_.kinds.end(),
                       [&](const std::string& p) { return kind_pattern_matches(p, r.source, r.kind); });
}

bool TraceFilter::host_matches(const TraceRecordView& r) const {
    auto listed = [&](std::string_view host) {
        return !host.empty() && std::find(spec_.hosts.begin(), spec_.hosts.end(), host) != spec_.hosts.end();
    };
    if (r.source == "net") return listed(text_field(r, "from")) || listed(text_field(r, "to")) ||
                                  listed(text_field(r, "a")) || listed(text_field(r, "b"));
    return listed(placement_.host_of(r));
}

bool TraceFilter::process_matches(const TraceRecordView& r) const {
    const std::string_view component = source_component(r.source);
    const std::string_view name = source_name(r.source);
    return std::any_of(spec_.processes.begin(), spec_.processes.end(), [&](const std::string& p) {
        return p == name || p == component || p == r.source;
    });
}

bool TraceFilter::port_matches(const TraceRecordView& r) const {
    auto listed = [&](std::int64_t port) {
        return std::find(spec_.ports.begin(), spec_.ports.end(), port) != spec_.ports.end();
    };
    for (const TraceFieldView& f : r.fields) {
        if (const auto* e = std::get_if<TraceEndpoint>(&f.value); e && e->has_port && listed(e->port)) return true;
        if (const auto* i = std::get_if<std::int64_t>(&f.value); i && f.key == "port" && listed(*i)) return true;
    }
    return false;
}

bool TraceFilter::socket_matches(const TraceRecordView& r) {
    if (auto sock = int_field(r, "sock")) {
        if (std::find(spec_.sockets.begin(), spec_.sockets.end(), *sock) == spec_.sockets.end()) return false;
        const TraceEndpoint* local = endpoint_field(r, "local");
        const TraceEndpoint* remote = endpoint_field(r, "remote");
        if (local != nullptr && remote != nullptr) {
            const std::pair<TraceEndpoint, TraceEndpoint> c{*local, *remote};
            if (std::find(connections_.begin(), connections_.end(), c) == connections_.end()) connections_.push_back(c);
        }
        return true;
    }
    if (!is_segment(r)) return false;
    const TraceEndpoint* src = endpoint_field(r, "src");
    const TraceEndpoint* dst = endpoint_field(r, "dst");
    if (src == nullptr || dst == nullptr) return false;
    return std::any_of(connections_.begin(), connections_.end(), [&](const auto& c) {
        return (c.first == *src && c.second == *dst) || (c.first == *dst && c.second == *src);
    });
}

}  // namespace netsim::trace
