// Chrome trace-event JSON (`--format chrome`) for ui.perfetto.dev and chrome://tracing:
//   - each host is a process (pid); the run's own components (timeline, runner, oracle) are
//     the process "run";
//   - each kernel socket, server, noise process, channel and subchannel is a thread (tid);
//     the kernel's other records (syscalls, events) go on the host's "kernel" thread;
//   - a socket's TCP states (SYN_SENT ... TIME_WAIT) are duration slices (B/E) on its thread,
//     a server's time up (from a successful start to its stop or crash) is one too, and so are
//     a channel's and a subchannel's connectivity states;
//   - every segment is a zero-length slice on the sending socket's thread and on the receiving
//     one, joined by a flow arrow (s/f). The trace records when a segment is sent, not when it
//     arrives, so the arrow ends at the send instant (exact on one host, where delivery takes
//     no time);
//   - the channel's connectivity state is also a counter track (0 IDLE, 1 CONNECTING, 2 READY,
//     3 TRANSIENT_FAILURE, 4 SHUTDOWN);
//   - every other record is an instant event with the record's fields as args; a violation is
//     a global instant event.
// It streams: the state kept is a name per thread and the slice open on each. Open slices are
// closed at the instant of the last record.
#pragma once

#include "sim/trace/chrome_events.h"
#include "sim/trace/placement.h"
#include "sim/trace/trace_format.h"

#include <map>
#include <string>
#include <tuple>

namespace netsim::trace {

class ChromeFormat final : public TraceFormat {
public:
    explicit ChromeFormat(Placement placement) : placement_(std::move(placement)) {}

    void begin(std::string& out) override;
    void record(const TraceRecordView& r, std::string& out) override;
    void violation(const ViolationMark& mark, std::string& out) override;
    void end(Instant last, std::string& out) override;

private:
    struct Thread {
        int pid = 0;
        int tid = 0;
    };
    using Address = std::tuple<std::string, TraceEndpoint, TraceEndpoint>;  // host, local, remote
    struct AddressLess {
        bool operator()(const Address& a, const Address& b) const;
    };

    int pid_for(std::string_view host);
    // The thread `key` of `host`, named `display` (default: the key) when first used.
    Thread thread_for(std::string_view host, std::string_view key, std::string_view display = {});
    // Ends the slice open on `t` (if any) and begins `name` (unless empty).
    void switch_slice(Thread t, Instant at, std::string_view name, std::span<const TraceFieldView> args = {});

    void tcp_state(const TraceRecordView& r, std::string_view host);
    void segment(const TraceRecordView& r);
    void server(const TraceRecordView& r, std::string_view host);
    void connectivity(const TraceRecordView& r, std::string_view host);
    Thread receiver_of(std::string_view host, const TraceEndpoint& dst, const TraceEndpoint& src);

    Placement placement_;
    ChromeEvents events_;
    std::map<std::string, int, std::less<>> pids_;
    std::map<int, std::map<std::string, int, std::less<>>> tids_;  // per pid, by thread name
    int next_tid_ = 1;
    std::map<std::pair<int, int>, std::string> open_;  // the slice open on each thread
    std::map<Address, Thread, AddressLess> connections_;  // by (host, local, remote)
    std::map<Address, Thread, AddressLess> listeners_;    // by (host, local, {})
    std::uint64_t next_flow_ = 1;
};

// The counter value of a connectivity state (see above); -1 for an unknown name.
int connectivity_level(std::string_view state);

}  // namespace netsim::trace
