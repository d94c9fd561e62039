// The scenario model: what a `.scn` file (or the C++ builder) describes, as plain data. The
// parser and the builder both produce a `Scenario`; the runner builds a world from it and a
// seed. Every name a statement refers to has been resolved by the time a `Scenario` exists
// (hosts, servers, channels, noise, step labels), so the runner never meets an undefined name.
// `SourceLocation`s point back into the file so that runtime reports can cite the line.
#pragma once

#include "sim/app/listener_strategy.h"
#include "sim/core/time.h"
#include "sim/kernel/errno.h"
#include "sim/net/ip_address.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace netsim::scenarios {

struct SourceLocation {
    std::string file;
    int line = 0;
    int column = 0;
};

// `1/s`, `200/s`, `5/ms`: events per virtual second, kept as an integer ratio of events over a
// duration so that no floating point reaches the simulation.
struct Rate {
    std::uint64_t events = 0;
    Duration per = Duration::seconds(1);
};

// A duration the seed may pick: `10ms`, or `10ms..50ms` (uniform in the window, stream "steps").
struct DurationRange {
    Duration low;
    Duration high;  // == low when fixed
};

// ---- the world ----------------------------------------------------------------------------

struct LinkSpec {
    Duration latency;
    Duration jitter;
    std::uint32_t loss_numerator = 0;  // `loss=1/100` or `loss=1%`
    std::uint32_t loss_denominator = 1;
};

struct SysctlSpec {
    std::optional<std::pair<net::Port, net::Port>> ip_local_port_range;  // `32768-60999`
    std::optional<int> tcp_tw_reuse;                                     // 0, 1, 2
    std::optional<Duration> time_wait;                                   // TIME_WAIT length
    std::optional<Duration> tcp_fin_timeout;
};

struct HostSpec {
    std::string name;
    std::vector<net::IpAddress> addresses;  // besides loopback
    SysctlSpec sysctls;
    SourceLocation where;
};

struct LinkBetween {
    std::string a, b;  // host names
    LinkSpec link;
    SourceLocation where;
};

using app::ListenerStrategy;  // one definition, with the servers that follow it

// The shortest wait_release retry: a bind attempt per retry until the timeout, so a shorter one
// (zero, a nanosecond) would fill a run with attempts that never let virtual time move on.
inline constexpr Duration min_bind_retry = Duration::milliseconds(1);

struct ServerSpec {
    std::string name;
    std::string host;
    net::SocketAddress address;  // `127.0.0.1:0`, `[::1]:50051`; port 0 = the kernel picks
    ListenerStrategy listener = ListenerStrategy::reuseaddr;
    DurationRange service_time{Duration::milliseconds(1), Duration::milliseconds(1)};
    int backlog = 128;
    Duration retry = Duration::milliseconds(10);   // wait_release: between bind attempts
    Duration timeout = Duration::seconds(5);       // wait_release: give up after
    bool started = false;                          // `started`: running from 0s without a step
    // `load_cpu=P% [load_qps=N] [load_eps=N]`: the ORCA load report it sends after each response
    // (weighted_round_robin reads it); none without load_cpu.
    std::optional<std::uint32_t> load_cpu_percent;
    std::uint32_t load_qps = 100;
    std::uint32_t load_eps = 0;
    SourceLocation where;
};

enum class NoiseKind { listeners, connects, holders };

// Socket options a noise process sets, as the other tests' gRPC library would.
struct NoiseSocketOptions {
    bool reuseaddr = false;
    bool reuseport = false;
};

struct NoiseSpec {
    std::string name;
    NoiseKind kind = NoiseKind::listeners;
    std::string host;
    int processes = 1;                  // `processes=8`: independent processes sharing the rate
    Rate rate;                          // Poisson arrivals (stream "noise/<name>")
    DurationRange hold{Duration::milliseconds(50), Duration::milliseconds(50)};
    Duration from = Duration::zero();  // `from=`: arrivals start here
    std::optional<Duration> until;     // `until=`: and stop here (none: the scenario's end)
    NoiseSocketOptions options;
    net::IpAddress address = net::IpAddress::loopback(net::IpFamily::v4);  // listeners/holders bind here
    std::optional<net::SocketAddress> target;  // connects: where to (default: a live noise listener)
    std::optional<std::string> target_server;  // connects: `target=b` names a server instead
    net::Port port = 0;                        // holders: the fixed port
    SourceLocation where;
};


struct ChannelSpec {
    std::string name;
    std::string host;
    std::string policy = "pick_first";
    std::vector<std::pair<std::string, std::string>> policy_config;  // in file order
    SourceLocation policy_where;                       // the policy's name (else the statement)
    std::vector<SourceLocation> policy_config_where;   // each config entry's key
    std::vector<std::string> targets;  // server names, in resolver order
    SourceLocation where;
};

// A steady stream of RPCs from a channel: `rpcs client rate=10/s from=0s until=10s deadline=1s`.
struct WorkloadSpec {
    std::string channel;
    Rate rate;
    Duration from = Duration::zero();
    std::optional<Duration> until;  // none: the scenario's end
    Duration deadline = Duration::seconds(1);
    bool wait_for_ready = false;
    std::optional<std::string> key;  // `key=K`: the request hash is XXH64(K) (ring_hash, gRFC A76)
    SourceLocation where;
};

// ---- the timeline -------------------------------------------------------------------------

enum class ActionKind {
    start, stop, graceful_stop, crash, restart, pause, resume,  // server lifecycle (`subject`)
    partition, heal,                                             // `subject`, `other`: hosts
    resolve,          // `subject`: channel; `addresses`: server names (may be empty)
    resolver_error,   // `subject`: channel
    rpc,              // `subject`: channel; `count`, `deadline`, `wait_for_ready`, `key`
    connect,          // `subject`: channel leaves IDLE (gRPC's requestConnection)
    load,             // `subject`: server; its load report from now on (`load_*` fields)
};

struct Action {
    ActionKind kind = ActionKind::start;
    std::string subject;
    std::string other;
    std::vector<std::string> addresses;
    int count = 1;
    Duration deadline = Duration::seconds(1);
    bool wait_for_ready = false;
    std::optional<std::string> key;  // rpc: `key=K`, the request hash XXH64(K)
    std::uint32_t load_cpu_percent = 0;  // load: `cpu=P%`
    std::uint32_t load_qps = 100;        // load: `qps=N`
    std::uint32_t load_eps = 0;          // load: `eps=N`
    SourceLocation where;
};

enum class ConnectivityStateName { idle, connecting, ready, transient_failure, shutdown };

// When a step runs.
struct Trigger {
    enum class Kind {
        at,            // `at 2s`, or a window `at 1s..3s`: the seed picks the instant
        after,         // `after LABEL + 100ms` (or a window `after LABEL + 0ms..5ms`)
        when_state,    // `when CHANNEL is READY`: the first time after the previous trigger
    };
    Kind kind = Kind::at;
    DurationRange offset;     // at: the instant; after: the delay after the step
    std::string step;         // after: the label
    std::string channel;      // when_state
    ConnectivityStateName state = ConnectivityStateName::ready;
};

// One timeline line, or an unordered group (`at 1s..2s: in any order` with indented actions,
// run one after another in an order the seed picks, stream "steps").
struct Step {
    std::string label;  // `as LABEL`, or generated: "step@<line>" (the builder: "step#<n>")
    Trigger trigger;
    std::vector<Action> actions;  // one, or the group's
    bool unordered = false;
    SourceLocation where;
};

// ---- expectations -------------------------------------------------------------------------

struct Expectation {
    enum class Kind {
        step_succeeds,      // `expect restart_a succeeds`
        step_fails,         // `expect restart_a fails [with EADDRINUSE]`
        states_exactly,     // `expect client states CONNECTING, READY, IDLE [within 5s after LABEL]`
        states_match,       // `expect client states match "CONNECTING (READY IDLE)* READY" [within ...]`
        reaches_state,      // `expect client is READY within 5s [after LABEL]`
        success_ratio,      // `expect client rpcs ok >= 99% [from T] [until T]` (or `<=`)
        server_share,       // `expect a rpcs share <= 20% [from T] [until T]` (or `>=`): of every OK RPC
        server_receives,    // `expect a receives rpcs [within 5s] [after LABEL]`
        server_never_receives,  // `expect a never receives rpcs [after LABEL]`
        no_record,          // `expect no record tcp.retransmit`
    };
    Kind kind = Kind::step_succeeds;
    std::string subject;    // step label, channel, server or record kind
    std::optional<kernel::Errno> error;       // step_fails `with`
    std::vector<ConnectivityStateName> states;  // states_exactly
    std::string pattern;    // states_match: space separated state names, `(...)`, `*`, `+`, `?`, `|`
    ConnectivityStateName state = ConnectivityStateName::ready;  // reaches_state
    std::optional<Duration> within;
    std::optional<std::string> after_step;
    std::uint32_t ratio_percent = 100;  // success_ratio, server_share: the bound, in percent
    bool at_most = false;               // `<=`: the share may not exceed the bound (else `>=`)
    std::optional<Duration> from, until;
    std::string text;       // canonical spelling, parameters substituted (expectation_text.h), for reports
    SourceLocation where;
};

struct Parameter {
    std::string name;
    std::string value;      // as written, or as `--set` overrode it
    SourceLocation where;
};

struct Scenario {
    std::string name;
    std::string description;
    std::string file;
    std::vector<Parameter> params;  // in declaration order, values after `--set`
    std::vector<HostSpec> hosts;
    std::vector<LinkBetween> links;
    std::vector<ServerSpec> servers;
    std::vector<NoiseSpec> noise;
    std::vector<ChannelSpec> channels;
    std::vector<WorkloadSpec> workloads;
    std::vector<Step> steps;
    std::vector<Expectation> expectations;
    Duration end = Duration::seconds(30);  // `end at 30s`
};

}  // namespace netsim::scenarios
