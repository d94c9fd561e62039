// Socket-operation scripts (format: tests/conformance/README.md): the typed form of a script and its
// parser. One script drives one host's kernel, the model (`netsim syscalls`) or real Linux
// (tests/conformance/real_linux_runner), and both print one outcome line per step.
// The parser accepts exactly that format; everything it returns is well-formed (names
// introduced before use, numbers in range, addresses that inet_pton accepts), so executors
// only meet run-time errors, which they report as errno names. A malformed script is an error
// value with the 1-based line and column of the offending token.
#pragma once

#include "sim/core/time.h"

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace netsim::kernel {

enum class Family { inet, inet6 };

// `sysctl ip_local_port_range LO HI`. Checked as Linux checks the write
// (net/ipv4/sysctl_net_ipv4.c, ipv4_local_port_range): 1024 <= LO <= HI <= 65535, 1024 being
// the default ip_unprivileged_port_start that LO may not go below.
struct SysctlPortRange {
    int low = 0;
    int high = 0;
};

// `sysctl tcp_tw_reuse N`: 0 off, 1 on, 2 loopback only (the Linux default).
struct SysctlTwReuse {
    int mode = 0;
};

// `socket NAME [inet|inet6]`: a TCP socket (default inet). Introduces NAME; on a name that
// holds an open socket it rebinds the name and leaves the old socket open.
struct SocketOp {
    std::string name;
    Family family = Family::inet;
};

enum class SockOption { reuseaddr, reuseport, v6only, linger };

// `setsockopt NAME OPTION VALUE`. For SO_REUSEADDR, SO_REUSEPORT and IPV6_V6ONLY `value` is 0
// or 1. For SO_LINGER `value` is the linger time in seconds (0: close sends RST), or
// `linger_off` is set for `off` (value then 0).
struct SetsockoptOp {
    std::string name;
    SockOption option = SockOption::reuseaddr;
    int value = 0;
    bool linger_off = false;
};

// `bind NAME ADDR PORT`. ADDR is an IPv4 or IPv6 literal; its own family (not the socket's)
// decides the sockaddr passed to bind(2), so an IPv4 literal on an inet6 socket is the kernel's
// error to report. PORT 0 asks for an ephemeral port.
struct BindOp {
    std::string name;
    std::string address;
    int port = 0;
};

struct ListenOp {
    std::string name;
    int backlog = 0;
};

// `connect NAME ADDR PORT [nonblock]`: blocking, or with `nonblock` non-blocking (O_NONBLOCK for
// the one call: EINPROGRESS while the handshake is under way, and a later connect() on the socket
// reports how it ended); the address rules are those of BindOp.
struct ConnectOp {
    std::string name;
    std::string address;
    int port = 0;
    bool nonblocking = false;
};

// `error NAME`: getsockopt(SO_ERROR), the pending error, cleared by reading it: `ok` or its name.
struct ErrorOp {
    std::string name;
};

// `accept LISTENER NAME`: non-blocking; introduces NAME, which holds the accepted socket on
// success and no socket on failure.
struct AcceptOp {
    std::string listener;
    std::string name;
};

// `send NAME BYTES`, non-blocking: BYTES in 0..max_transfer_bytes.
struct SendOp {
    std::string name;
    int bytes = 0;
};

// `recv NAME BYTES`, non-blocking: BYTES in 1..max_transfer_bytes (a 0-byte read could not be
// told apart from end of file).
struct RecvOp {
    std::string name;
    int bytes = 0;
};

enum class ShutdownHow { rd, wr, rdwr };

struct ShutdownOp {
    std::string name;
    ShutdownHow how = ShutdownHow::rdwr;
};

struct CloseOp {
    std::string name;
};

// `port NAME`: the socket's local port (getsockname).
struct PortOp {
    std::string name;
};

// `state NAME`: the socket's TCP state by its Linux name (getsockopt TCP_INFO's tcpi_state):
// ESTABLISHED, SYN_SENT, SYN_RECV, FIN_WAIT1, FIN_WAIT2, TIME_WAIT, CLOSE, CLOSE_WAIT,
// LAST_ACK, LISTEN or CLOSING, printed as `ok NAME`.
struct StateOp {
    std::string name;
};

// `table`: the host's socket table (see socket_table_line), printed as `ok` and then one line per
// socket, sorted.
struct TableOp {};

struct SleepOp {
    Duration duration;
};

using ScriptOperation =
    std::variant<SysctlPortRange, SysctlTwReuse, SocketOp, SetsockoptOp, BindOp, ListenOp, ConnectOp,
                 AcceptOp, SendOp, RecvOp, ShutdownOp, CloseOp, PortOp, ErrorOp, StateOp, TableOp, SleepOp>;

struct ScriptStep {
    int line = 0;  // 1-based line of the operation in the script file
    ScriptOperation operation;
};

struct SyscallScript {
    std::string file;
    std::vector<ScriptStep> steps;
};

struct ScriptError {
    std::string file;
    int line = 0;    // 1-based
    int column = 0;  // 1-based column (byte) of the offending token
    std::string message;

    // "file:line:col: message"
    std::string format() const;
};

// The largest BYTES a send or recv may ask for (16 MiB).
inline constexpr int max_transfer_bytes = 1 << 24;

std::variant<SyscallScript, ScriptError> parse_syscall_script(std::string_view text, std::string file_name);

// The family of an address literal as inet_pton reads it, or nothing when it is not one.
std::optional<Family> address_family(std::string_view address);

// The Linux name of a tcpi_state value (1 = ESTABLISHED ... 11 = CLOSING, as in
// include/net/tcp_states.h), "?" for any other number.
std::string_view linux_tcp_state_name(int tcpi_state);

// One line of the socket table that `table` prints: every TCP socket the host's kernel lists
// (Linux: /proc/net/tcp and /proc/net/tcp6, TIME_WAIT and request sockets included; a socket
// that is only bound, or closed, is not listed), as "table LOCAL REMOTE STATE" with addresses
// as "127.0.0.1:5000" or "[::1]:5000" (an IPv6 socket's IPv4 peers as
// "[::ffff:127.0.0.1]:5000"). A port inside ip_local_port_range prints as `*`: Linux picks
// ephemeral ports from a per-boot secret, so their numbers cannot be compared. Runners print
// these lines sorted.
struct TableAddress {
    std::string ip;  // inet_ntop text: "127.0.0.1", "::1", "::ffff:127.0.0.1"
    bool v6 = false;
    int port = 0;
};
std::string socket_table_line(const TableAddress& local, const TableAddress& remote, int tcpi_state,
                              int ephemeral_low, int ephemeral_high);

// The option's name as scripts spell it: "SO_REUSEADDR", "IPV6_V6ONLY", ...
std::string_view option_name(SockOption option);

}  // namespace netsim::kernel
