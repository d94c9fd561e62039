#include "sim/trace/sequence_builder.h"

#include "sim/trace/record_view.h"

#include <charconv>
#include <map>
#include <set>

namespace netsim::trace {

namespace {

using SocketKey = std::pair<std::string, std::int64_t>;  // (host, kernel socket id)
using PortKey = std::pair<std::string, std::int64_t>;    // (host, port)

std::int64_t to_int(const std::string& text, std::int64_t otherwise = -1) {
    std::int64_t v = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    return ec == std::errc() && p == text.data() + text.size() ? v : otherwise;
}

// "127.0.0.1:42293" / "[::1]:80" -> the port; -1 without one.
std::int64_t port_of(const std::string& endpoint) {
    const auto colon = endpoint.rfind(':');
    if (colon == std::string::npos || (endpoint.front() == '[' ? endpoint[colon - 1] != ']' : false)) return -1;
    return to_int(endpoint.substr(colon + 1));
}

std::string duration_text(Duration d) {
    const std::int64_t ns = d.count_ns();
    if (ns >= 1'000'000'000) return fmt::format("{:.3f} s", static_cast<double>(ns) / 1e9);
    if (ns >= 1'000'000) return fmt::format("{:.3f} ms", static_cast<double>(ns) / 1e6);
    return fmt::format("{:.3f} us", static_cast<double>(ns) / 1e3);
}

RowStyle style_of(const std::string& flags, std::int64_t bytes) {
    if (flags.find("RST") != std::string::npos) return RowStyle::rst;
    if (flags.find("SYN") != std::string::npos) return flags.find("ACK") != std::string::npos ? RowStyle::syn_ack : RowStyle::syn;
    if (flags.find("FIN") != std::string::npos) return RowStyle::fin;
    return bytes > 0 ? RowStyle::data : RowStyle::neutral;
}

class Builder {
public:
    Builder(const Placement& placement, const SequenceOptions& options) : placement_(placement), options_(options) {}

    SequenceDiagram build(const std::vector<SequenceItem>& items, std::string title) {
        d_.title = std::move(title);
        name_lifelines(items);
        for (const SequenceItem& item : items)
            if (const auto* r = std::get_if<TraceRecord>(&item)) learn_owner(*r);
        for (const SequenceItem& item : items) {
            if (const auto* r = std::get_if<TraceRecord>(&item)) draw(*r);
            else violation(std::get<ViolationMark>(item));
        }
        for (auto& [key, band] : open_bands_) d_.bands[band].last_row = d_.rows.size();
        return std::move(d_);
    }

private:
    // ---- pass 0: the lifelines, servers then channels, each by name --------------------
    static bool is_component_kind(std::string_view kind) {
        return kind.starts_with("server.") || kind.starts_with("channel.") || kind.starts_with("subchannel.") ||
               kind.starts_with("transport.");
    }

    void name_lifelines(const std::vector<SequenceItem>& items) {
        std::map<std::pair<int, std::string>, std::string> found;  // (0 server | 1 channel, name) -> caption
        for (const SequenceItem& item : items) {
            if (const auto* m = std::get_if<ViolationMark>(&item)) {
                for (const std::string& line : m->detail)
                    if (line.find(" held by ") != std::string::npos) holder_lines_[m->at].push_back(line);
                continue;
            }
            const TraceRecord& r = std::get<TraceRecord>(item);
            if (!is_component_kind(r.kind)) continue;
            const bool server = r.kind.starts_with("server.");
            const std::string_view host = placement_.host_of_source(r.source);
            std::string caption = server ? "server" : "channel";
            if (!host.empty()) caption += " on " + std::string(host);
            found.emplace(std::pair{server ? 0 : 1, std::string(source_name(r.source))}, caption);
        }
        for (const auto& [key, caption] : found) {
            lifeline_of_[key.second] = static_cast<int>(d_.lifelines.size());
            d_.lifelines.push_back({key.second, caption});
        }
    }

    // ---- pass 1: who owns each socket ------------------------------------------------
    int lifeline_for_component(const TraceRecord& r) { return lifeline_of_.at(std::string(source_name(r.source))); }

    int others(const std::string& host) {
        const std::string key = "\x01" + host;
        if (auto it = lifeline_of_.find(key); it != lifeline_of_.end()) return it->second;
        d_.lifelines.push_back({"other processes", host.empty() ? "and kernels" : "and the kernel on " + host});
        return lifeline_of_[key] = static_cast<int>(d_.lifelines.size()) - 1;
    }

    void learn_owner(const TraceRecord& r) {
        const std::string host(placement_.host_of_source(r.source));
        if (r.kind == "tcp.state" && !kernel_host(r.source).empty()) {
            const std::int64_t sock = to_int(r.field("sock"));
            const std::string to = r.field("to");
            const std::int64_t port = port_of(r.field("local"));
            if (to == "LISTEN") last_listen_[{host, port}] = sock;
            if (to == "SYN_SENT") last_syn_sent_[{host, r.field("remote")}] = sock;
            if (to == "SYN_RECV" && r.field("from") == "CLOSED")
                if (auto l = last_listen_.find({host, port}); l != last_listen_.end()) parent_[{host, sock}] = l->second;
            return;
        }
        if (!is_component_kind(r.kind)) return;
        const int lifeline = lifeline_for_component(r);
        if (r.kind == "server.start") server_binds_.insert({r.at, to_int(r.field("port"))});
        if (r.kind == "server.start" && r.field("result") == "ok") {
            const std::int64_t port = to_int(r.field("port"));
            server_ports_.insert(port);
            if (auto l = last_listen_.find({host, port}); l != last_listen_.end()) owner_[{host, l->second}] = lifeline;
        } else if (r.kind == "transport.connect") {
            if (auto s = last_syn_sent_.find({host, r.field("address")}); s != last_syn_sent_.end())
                owner_[{host, s->second}] = lifeline;
        }
    }

    int owner(const std::string& host, std::int64_t sock) {
        for (int depth = 0; depth < 4 && sock >= 0; ++depth) {
            if (auto it = owner_.find({host, sock}); it != owner_.end()) return it->second;
            auto p = parent_.find({host, sock});
            if (p == parent_.end()) break;
            sock = p->second;
        }
        return -1;  // another process's (its lifeline is made when something is drawn on it)
    }
    static bool named(int lifeline) { return lifeline >= 0; }
    int lane(const std::string& host, int lifeline) { return lifeline >= 0 ? lifeline : others(host); }

    // ---- pass 2: rows ----------------------------------------------------------------
    void add(Row row) {
        if (!d_.rows.empty() && d_.rows.back().kind == RowKind::arrow && row.kind == RowKind::arrow) {
            Row& last = d_.rows.back();
            if (last.at == row.at && last.from == row.from && last.to == row.to && last.label == row.label) {
                ++last.repeat;
                return;
            }
        }
        if (d_.rows.size() >= options_.max_rows) {
            ++d_.rows_left_out;
            return;
        }
        if (have_last_ && row.at - last_at_ >= options_.gap) {
            Row gap{RowKind::gap, RowStyle::neutral, row.at, -1, -1, duration_text(row.at - last_at_), {}, 1};
            d_.rows.push_back(std::move(gap));
        }
        have_last_ = true;
        last_at_ = row.at;
        d_.rows.push_back(std::move(row));
    }

    void violation(const ViolationMark& m) {
        std::string label = m.expectation;
        if (!m.what.empty()) label += ": " + m.what;
        add(Row{RowKind::violation, RowStyle::error, m.at, -1, -1, std::move(label), m.detail, 1});
    }

    void open_band(const std::string& key, int lifeline, std::string label, bool time_wait) {
        close_band(key);
        d_.bands.push_back(Band{lifeline, d_.rows.size() > 0 ? d_.rows.size() - 1 : 0, 0, std::move(label), time_wait});
        open_bands_[key] = d_.bands.size() - 1;
    }
    void close_band(const std::string& key) {
        auto it = open_bands_.find(key);
        if (it == open_bands_.end()) return;
        d_.bands[it->second].last_row = d_.rows.size();
        open_bands_.erase(it);
    }

    std::vector<std::string> holders_of(const std::string& host, std::int64_t port) {
        std::vector<std::string> lines;
        auto it = holders_.find({host, port});
        if (it == holders_.end()) return lines;
        for (const auto& [sock, held] : it->second) {
            const int who = lane(host, owner(host, sock));
            lines.push_back(fmt::format("held by {} (sock {}, {} since {}s)", d_.lifelines[static_cast<std::size_t>(who)].name,
                                        sock, held.first, held.second));
        }
        return lines;
    }

    void tcp_state(const TraceRecord& r, const std::string& host) {
        const std::int64_t sock = to_int(r.field("sock"));
        const std::string from = r.field("from"), to = r.field("to"), local = r.field("local"), remote = r.field("remote");
        const std::int64_t port = port_of(local);
        if (!local.empty() && !remote.empty()) {
            if (to == "CLOSED") connections_.erase({host, local + " " + remote});
            else connections_[{host, local + " " + remote}] = sock;
        }
        if (to == "LISTEN") listeners_[{host, port}] = sock;
        if (from == "LISTEN") listeners_.erase({host, port});
        if (port >= 0) {
            if (to == "CLOSED") holders_[{host, port}].erase(sock);
            else holders_[{host, port}][sock] = {to, r.at};
        }
        const int who = owner(host, sock);
        const bool relevant = named(who) || server_ports_.contains(port);
        const std::string band_key = fmt::format("tw {} {}", host, sock);
        if (to == "LISTEN" && !named(who) && server_ports_.contains(port)) {
            add(Row{RowKind::box, RowStyle::neutral, r.at, lane(host, who), -1, fmt::format("LISTEN :{}", port),
                    {fmt::format("sock {}", sock)}, 1});
        }
        if (to == "TIME_WAIT" && relevant) {
            add(Row{RowKind::note, RowStyle::neutral, r.at, lane(host, who), -1, fmt::format("TIME_WAIT :{}", port), {}, 1});
            open_band(band_key, lane(host, who), fmt::format("TIME_WAIT :{}", port), true);
        }
        if (from == "TIME_WAIT") close_band(band_key);
    }

    void segment(const TraceRecord& r) {
        const std::string from = r.field("from"), to = r.field("to"), src = r.field("src"), dst = r.field("dst");
        const std::string flags = r.field("flags");
        const std::int64_t bytes = to_int(r.field("bytes"), 0);
        if (flags == "ACK" && bytes == 0) return;  // bare ACKs would double the picture
        auto sender = connections_.find({from, src + " " + dst});
        auto receiver = connections_.find({to, dst + " " + src});
        int a = sender != connections_.end() ? owner(from, sender->second) : -1;
        int b = -1;
        if (receiver != connections_.end()) b = owner(to, receiver->second);
        else if (auto l = listeners_.find({to, port_of(dst)}); l != listeners_.end()) b = owner(to, l->second);
        const std::int64_t sport = port_of(src), dport = port_of(dst);
        if (!named(a) && !named(b) && !server_ports_.contains(sport) && !server_ports_.contains(dport)) return;
        a = lane(from, a);
        b = lane(to, b);
        std::string label = flags;
        if (bytes > 0) label = flags == "ACK" ? fmt::format("data {} B", bytes) : fmt::format("{} +{} B", flags, bytes);
        if (r.kind != "tx") label = r.kind + " " + label;
        add(Row{RowKind::arrow, style_of(flags, bytes), r.at, a, b, std::move(label), {fmt::format(":{} \u2192 :{}", sport, dport)}, 1});
    }

    void server(const TraceRecord& r, const std::string& host) {
        const int who = lifeline_of_.at(std::string(source_name(r.source)));
        const std::string result = r.field("result");
        const std::int64_t port = to_int(r.field("port"));
        const std::string action = r.kind.substr(std::string_view("server.").size());
        if (result == "ok") {
            add(Row{RowKind::box, action == "start" ? RowStyle::ok : RowStyle::neutral, r.at, who, -1,
                    fmt::format("{} :{}", action, port), {}, 1});
            return;
        }
        // The oracle's account of the holders names their processes; the trace's names sockets.
        std::vector<std::string> holders;
        const std::string about_port = fmt::format("port {} held by", port);
        if (auto it = holder_lines_.find(r.at); it != holder_lines_.end())
            for (const std::string& line : it->second)
                if (line.find(about_port) != std::string::npos) holders.push_back(line);
        if (holders.empty()) holders = holders_of(host, port);
        add(Row{RowKind::box, RowStyle::error, r.at, who, -1, fmt::format("{} failed: {} :{}", action, result, port),
                std::move(holders), 1});
    }

    // Another process's bind to a server's port (a server's own comes with its server.start).
    void bind(const TraceRecord& r, const std::string& host) {
        const std::int64_t port = port_of(r.field("addr"));
        if (r.field("result") != "ok" || !server_ports_.contains(port) || server_binds_.contains({r.at, port})) return;
        add(Row{RowKind::box, RowStyle::neutral, r.at, others(host), -1, fmt::format("bind :{}", port),
                {fmt::format("fd {}", r.field("fd"))}, 1});
    }

    void channel_state(const TraceRecord& r) {
        const int who = lifeline_of_.at(std::string(source_name(r.source)));
        const std::string to = r.field("to");
        add(Row{RowKind::state, RowStyle::neutral, r.at, who, -1, to, {}, 1});
        const std::string key = "channel " + std::to_string(who);
        if (to == "SHUTDOWN") close_band(key);
        else open_band(key, who, to, false);
    }

    void draw(const TraceRecord& r) {
        const std::string host(placement_.host_of_source(r.source));
        if (r.source == "net") return r.kind == "tx" ? segment(r) : void();
        if (r.kind == "tcp.state" && !kernel_host(r.source).empty()) return tcp_state(r, host);
        if (r.kind == "sys.bind" && !kernel_host(r.source).empty()) return bind(r, host);
        if (r.kind.starts_with("server.") && r.kind != "server.drain") return server(r, host);
        if (r.kind == "channel.state") return channel_state(r);
        if (r.kind == "step.run")
            add(Row{RowKind::step, RowStyle::neutral, r.at, -1, -1, r.field("step"), {}, 1});
    }

    const Placement& placement_;
    const SequenceOptions& options_;
    SequenceDiagram d_;
    std::map<std::string, int> lifeline_of_;
    std::map<SocketKey, int> owner_;
    std::map<SocketKey, std::int64_t> parent_;  // accepted socket -> its listener
    std::map<PortKey, std::int64_t> last_listen_;
    std::map<std::pair<std::string, std::string>, std::int64_t> last_syn_sent_;  // (host, remote)
    std::set<std::int64_t> server_ports_;
    std::set<std::pair<Instant, std::int64_t>> server_binds_;  // (instant, port) of every server.start
    std::map<std::pair<std::string, std::string>, std::int64_t> connections_;  // (host, "local remote")
    std::map<PortKey, std::int64_t> listeners_;
    std::map<PortKey, std::map<std::int64_t, std::pair<std::string, Instant>>> holders_;
    std::map<std::string, std::size_t> open_bands_;
    std::map<Instant, std::vector<std::string>> holder_lines_;  // violations' "port P held by ..." lines
    bool have_last_ = false;
    Instant last_at_;
};

}  // namespace

SequenceDiagram build_sequence(const std::vector<SequenceItem>& items, const Placement& placement, std::string title,
                               const SequenceOptions& options) {
    return Builder(placement, options).build(items, std::move(title));
}

}  // namespace netsim::trace
