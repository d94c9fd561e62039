#include "sim/trace/chrome_format.h"

#include "sim/trace/append_text.h"
#include "sim/trace/record_view.h"

#include <algorithm>
#include <array>
#include <cstring>

namespace netsim::trace {

namespace {

constexpr std::array<std::string_view, 5> connectivity_states{"IDLE", "CONNECTING", "READY", "TRANSIENT_FAILURE",
                                                              "SHUTDOWN"};

// A v4-mapped IPv6 endpoint as the IPv4 one segments carry on the wire.
TraceEndpoint unmapped(TraceEndpoint e) {
    static constexpr std::array<std::uint8_t, 12> prefix{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (e.v6 && std::memcmp(e.bytes.data(), prefix.data(), prefix.size()) == 0) {
        e.v6 = false;
        e.bytes[10] = e.bytes[11] = 0;
    }
    return e;
}

bool endpoint_less(const TraceEndpoint& a, const TraceEndpoint& b) {
    const int c = std::memcmp(a.bytes.data(), b.bytes.data(), a.bytes.size());
    if (c != 0) return c < 0;
    return std::tie(a.port, a.v6, a.has_port) < std::tie(b.port, b.v6, b.has_port);
}

std::string thread_label(std::string_view prefix, std::int64_t id) {
    std::string s(prefix);
    append_int(s, id);
    return s;
}

}  // namespace

int connectivity_level(std::string_view state) {
    for (std::size_t i = 0; i < connectivity_states.size(); ++i)
        if (connectivity_states[i] == state) return static_cast<int>(i);
    return -1;
}

bool ChromeFormat::AddressLess::operator()(const Address& a, const Address& b) const {
    if (std::get<0>(a) != std::get<0>(b)) return std::get<0>(a) < std::get<0>(b);
    if (endpoint_less(std::get<1>(a), std::get<1>(b))) return true;
    if (endpoint_less(std::get<1>(b), std::get<1>(a))) return false;
    return endpoint_less(std::get<2>(a), std::get<2>(b));
}

int ChromeFormat::pid_for(std::string_view host) {
    const std::string_view name = host.empty() ? std::string_view("run") : host;
    auto it = pids_.find(name);
    if (it != pids_.end()) return it->second;
    const int pid = static_cast<int>(pids_.size()) + 1;
    pids_.emplace(std::string(name), pid);
    events_.process_name(pid, host.empty() ? std::string_view("run") : host);
    return pid;
}

ChromeFormat::Thread ChromeFormat::thread_for(std::string_view host, std::string_view key, std::string_view display) {
    const int pid = pid_for(host);
    auto& threads = tids_[pid];
    auto it = threads.find(key);
    if (it != threads.end()) return {pid, it->second};
    const int tid = next_tid_++;
    threads.emplace(std::string(key), tid);
    events_.thread_name(pid, tid, display.empty() ? key : display);
    return {pid, tid};
}

void ChromeFormat::switch_slice(Thread t, Instant at, std::string_view name, std::span<const TraceFieldView> args) {
    auto it = open_.find({t.pid, t.tid});
    if (it != open_.end()) {
        events_.slice_end(t.pid, t.tid, at);
        open_.erase(it);
    }
    if (name.empty()) return;
    events_.slice_begin(t.pid, t.tid, at, name, args);
    open_.emplace(std::pair{t.pid, t.tid}, std::string(name));
}

void ChromeFormat::begin(std::string& out) {
    events_.target(out);
    events_.begin_file();
}

void ChromeFormat::tcp_state(const TraceRecordView& r, std::string_view host) {
    const std::int64_t sock = int_field(r, "sock").value_or(-1);
    const TraceEndpoint* local = endpoint_field(r, "local");
    const TraceEndpoint* remote = endpoint_field(r, "remote");
    std::string name = thread_label("sock ", sock);
    if (local != nullptr) {
        name += ' ';
        append_endpoint_text(name, *local);
    }
    // The thread is named by the socket's first record; later ones find it by id.
    const Thread t = thread_for(host, thread_label("sock ", sock), name);
    const std::string_view to = text_field(r, "to");
    std::array<TraceFieldView, 3> args{{{"why", TraceLabel{0, text_field(r, "why")}}}};
    std::size_t n = 1;
    if (local != nullptr) args[n++] = {"local", *local};
    if (remote != nullptr) args[n++] = {"remote", *remote};
    switch_slice(t, r.at, to == "CLOSED" ? std::string_view{} : to, std::span(args.data(), n));
    const std::string h(host);
    if (local != nullptr && remote != nullptr) {
        const Address a{h, unmapped(*local), unmapped(*remote)};
        if (to == "CLOSED") connections_.erase(a);
        else connections_[a] = t;
    }
    if (local != nullptr && (to == "LISTEN" || text_field(r, "from") == "LISTEN")) {
        const Address a{h, unmapped(*local), TraceEndpoint{}};
        if (to == "LISTEN") listeners_[a] = t;
        else listeners_.erase(a);
    }
}

ChromeFormat::Thread ChromeFormat::receiver_of(std::string_view host, const TraceEndpoint& dst,
                                               const TraceEndpoint& src) {
    const std::string h(host);
    if (auto it = connections_.find(Address{h, dst, src}); it != connections_.end()) return it->second;
    if (auto it = listeners_.find(Address{h, dst, TraceEndpoint{}}); it != listeners_.end()) return it->second;
    TraceEndpoint any;
    any.port = dst.port;
    any.v6 = dst.v6;
    if (auto it = listeners_.find(Address{h, any, TraceEndpoint{}}); it != listeners_.end()) return it->second;
    return thread_for(host, "kernel");
}

void ChromeFormat::segment(const TraceRecordView& r) {
    const std::string_view from = text_field(r, "from");
    const std::string_view to = text_field(r, "to");
    const std::string_view flags = text_field(r, "flags");
    const TraceEndpoint* src = endpoint_field(r, "src");
    const TraceEndpoint* dst = endpoint_field(r, "dst");
    if (r.kind != "tx" || src == nullptr || dst == nullptr) {
        const Thread t = thread_for(from, "kernel");
        std::string name = "net.";
        name += r.kind;
        events_.instant(t.pid, t.tid, r.at, name, r.fields);
        return;
    }
    auto it = connections_.find(Address{std::string(from), *src, *dst});
    const Thread sender = it != connections_.end() ? it->second : thread_for(from, "kernel");
    const Thread receiver = receiver_of(to, *dst, *src);
    const std::uint64_t id = next_flow_++;
    events_.mark(sender.pid, sender.tid, r.at, flags, r.fields);
    events_.flow_start(sender.pid, sender.tid, r.at, id, flags);
    events_.mark(receiver.pid, receiver.tid, r.at, flags, r.fields);
    events_.flow_end(receiver.pid, receiver.tid, r.at, id, flags);
}

void ChromeFormat::server(const TraceRecordView& r, std::string_view host) {
    const Thread t = thread_for(host, source_component(r.source));
    events_.instant(t.pid, t.tid, r.at, r.kind, r.fields);
    const bool ok = text_field(r, "result") == "ok";
    if (r.kind == "server.start" && ok) {
        std::string name = "up :";
        append_int(name, int_field(r, "port").value_or(0));
        switch_slice(t, r.at, name);
    } else if (ok && (r.kind == "server.stop" || r.kind == "server.crash" || r.kind == "server.graceful_stop")) {
        switch_slice(t, r.at, {});
    }
}

void ChromeFormat::connectivity(const TraceRecordView& r, std::string_view host) {
    const std::string_view channel = source_component(r.source);
    const std::string_view to = text_field(r, "to");
    std::string thread(channel);
    if (r.kind == "subchannel.state") {
        thread += " subchannel ";
        append_int(thread, int_field(r, "subchannel").value_or(0));
    } else {
        thread += " channel";
    }
    const Thread t = thread_for(host, thread);
    switch_slice(t, r.at, to == "SHUTDOWN" ? std::string_view{} : to, r.fields);
    if (r.kind == "channel.state") {
        std::string counter(channel);
        counter += " connectivity";
        events_.counter(t.pid, r.at, counter, "state", connectivity_level(to));
    }
}

void ChromeFormat::record(const TraceRecordView& r, std::string& out) {
    events_.target(out);
    if (r.source == "net") return segment(r);
    const std::string_view host = placement_.host_of(r);
    if (r.kind == "tcp.state" && !kernel_host(r.source).empty()) return tcp_state(r, host);
    if (r.kind.starts_with("server.")) return server(r, host);
    if (r.kind == "channel.state" || r.kind == "subchannel.state") return connectivity(r, host);
    const Thread t = thread_for(host, kernel_host(r.source).empty() ? r.source : std::string_view("kernel"));
    events_.instant(t.pid, t.tid, r.at, r.kind, r.fields);
}

void ChromeFormat::violation(const ViolationMark& mark, std::string& out) {
    events_.target(out);
    const Thread t = thread_for({}, "oracle");
    const std::array<TraceFieldView, 2> args{{{"expectation", std::string_view(mark.expectation)},
                                              {"what", std::string_view(mark.what)}}};
    std::string name = "VIOLATION: ";
    name += mark.expectation;
    events_.instant(t.pid, t.tid, mark.at, name, args, true);
}

void ChromeFormat::end(Instant last, std::string& out) {
    events_.target(out);
    for (const auto& [thread, name] : open_) events_.slice_end(thread.first, thread.second, last);
    open_.clear();
    events_.end_file();
}

}  // namespace netsim::trace
