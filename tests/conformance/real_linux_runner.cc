// real_linux_runner SCRIPT: runs a socket-operation script (format: tests/conformance/README.md) on
// real Linux sockets and prints one outcome line per operation, the reference output that the
// kernel model must reproduce.
//
// It only runs inside a fresh private network namespace: start it as
// `unshare -n real_linux_runner SCRIPT`. It then brings `lo` up itself and writes the script's
// sysctls in that namespace; the namespace (and every socket in it) vanishes when it exits.
//
// Semantics (tests/conformance/README.md): `connect` blocks (with `nonblock`, the socket is in
// O_NONBLOCK for the one call); `error` is getsockopt(SO_ERROR); `accept` is non-blocking (the listener is put
// in O_NONBLOCK for the one call, which is poll-with-timeout-0 plus accept in one step and also
// gives the kernel's own errno, EINVAL, for a socket that is not listening); `send` uses
// MSG_DONTWAIT | MSG_NOSIGNAL, `recv` MSG_DONTWAIT; `sleep` really sleeps. No settle delay is
// inserted between operations: on loopback a segment is processed in the softirq that the
// sending system call itself runs before it returns (and a segment for a socket the caller holds
// locked is processed when the call releases it), so every consequence of an operation that does
// not wait on a timer has happened when the next operation starts. tests/conformance/README.md
// gives the measurement behind this.
//
// Exit status: 0 the script ran (whatever its outcomes), 2 usage error or malformed script,
// 3 refused (not in a fresh private namespace) or the namespace could not be set up.
#include "sim/kernel/script/syscall_script.h"
#include "tests/conformance/errno_names.h"
#include "tests/conformance/private_namespace.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <vector>

namespace netsim::conformance {
namespace {

using namespace netsim::kernel;

constexpr int exit_malformed = 2;
constexpr int exit_refused = 3;

// The outcome of one operation: "ok", "ok N", "eof" or an errno name.
std::string ok() { return "ok"; }
std::string ok(long long n) { return fmt::format("ok {}", n); }
std::string failed(int error) { return std::string(errno_name(error)); }

// A sockaddr for an address literal the parser has validated; its family is the literal's.
struct SocketAddress {
    sockaddr_storage storage{};
    socklen_t length = 0;

    SocketAddress(const std::string& address, int port) {
        if (address_family(address) == Family::inet) {
            auto* in = reinterpret_cast<sockaddr_in*>(&storage);
            in->sin_family = AF_INET;
            in->sin_port = htons(static_cast<std::uint16_t>(port));
            inet_pton(AF_INET, address.c_str(), &in->sin_addr);
            length = sizeof(sockaddr_in);
        } else {
            auto* in6 = reinterpret_cast<sockaddr_in6*>(&storage);
            in6->sin6_family = AF_INET6;
            in6->sin6_port = htons(static_cast<std::uint16_t>(port));
            inet_pton(AF_INET6, address.c_str(), &in6->sin6_addr);
            length = sizeof(sockaddr_in6);
        }
    }
    const sockaddr* get() const { return reinterpret_cast<const sockaddr*>(&storage); }
};

[[noreturn]] void refuse(const std::string& why) {
    std::fprintf(stderr, "real_linux_runner: refusing to run: %s\n", why.c_str());
    std::exit(exit_refused);
}

// Executes steps on real sockets. A script name maps to the fd it holds, or to -1 when it
// holds no open socket (closed, or its accept failed): operations on it then print EBADF.
class RealSockets {
public:
    std::string operator()(const SysctlPortRange& op) {
        return sysctl("ip_local_port_range", fmt::format("{} {}", op.low, op.high));
    }
    std::string operator()(const SysctlTwReuse& op) {
        return sysctl("tcp_tw_reuse", fmt::format("{}", op.mode));
    }

    std::string operator()(const SocketOp& op) {
        // Rebinding a name leaves its old socket open, as the script format says.
        const int fd = socket(op.family == Family::inet ? AF_INET : AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
        fds_[op.name] = fd;
        return fd < 0 ? failed(errno) : ok();
    }

    std::string operator()(const SetsockoptOp& op) {
        const int fd = fd_of(op.name);
        if (fd < 0) return failed(EBADF);
        int result = 0;
        if (op.option == SockOption::linger) {
            const linger value{op.linger_off ? 0 : 1, op.value};
            result = setsockopt(fd, SOL_SOCKET, SO_LINGER, &value, sizeof value);
        } else {
            const int level = op.option == SockOption::v6only ? IPPROTO_IPV6 : SOL_SOCKET;
            const int name = op.option == SockOption::reuseaddr   ? SO_REUSEADDR
                             : op.option == SockOption::reuseport ? SO_REUSEPORT
                                                                  : IPV6_V6ONLY;
            result = setsockopt(fd, level, name, &op.value, sizeof op.value);
        }
        return result == 0 ? ok() : failed(errno);
    }

    std::string operator()(const BindOp& op) {
        const int fd = fd_of(op.name);
        if (fd < 0) return failed(EBADF);
        const SocketAddress address(op.address, op.port);
        return bind(fd, address.get(), address.length) == 0 ? ok() : failed(errno);
    }

    std::string operator()(const ListenOp& op) {
        const int fd = fd_of(op.name);
        if (fd < 0) return failed(EBADF);
        return listen(fd, op.backlog) == 0 ? ok() : failed(errno);
    }

    std::string operator()(const ConnectOp& op) {
        const int fd = fd_of(op.name);
        if (fd < 0) return failed(EBADF);
        const SocketAddress address(op.address, op.port);
        if (!op.nonblocking) return connect(fd, address.get(), address.length) == 0 ? ok() : failed(errno);
        const int flags = fcntl(fd, F_GETFL);
        fcntl(fd, F_SETFL, flags | O_NONBLOCK);
        const int result = connect(fd, address.get(), address.length);
        const int error = errno;
        fcntl(fd, F_SETFL, flags);
        return result == 0 ? ok() : failed(error);
    }

    std::string operator()(const ErrorOp& op) {
        const int fd = fd_of(op.name);
        if (fd < 0) return failed(EBADF);
        int error = 0;
        socklen_t length = sizeof error;
        if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0) return failed(errno);
        return error == 0 ? ok() : failed(error);
    }

    std::string operator()(const AcceptOp& op) {
        const int listener = fd_of(op.listener);
        if (listener < 0) {
            fds_[op.name] = -1;
            return failed(EBADF);
        }
        const int flags = fcntl(listener, F_GETFL);
        fcntl(listener, F_SETFL, flags | O_NONBLOCK);
        const int fd = accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
        const int error = errno;
        fcntl(listener, F_SETFL, flags);
        fds_[op.name] = fd;
        return fd < 0 ? failed(error) : ok();
    }

    std::string operator()(const SendOp& op) {
        const int fd = fd_of(op.name);
        if (fd < 0) return failed(EBADF);
        const std::vector<char> data(static_cast<std::size_t>(op.bytes), 'x');
        const ssize_t sent = send(fd, data.data(), data.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
        return sent < 0 ? failed(errno) : ok(sent);
    }

    std::string operator()(const RecvOp& op) {
        const int fd = fd_of(op.name);
        if (fd < 0) return failed(EBADF);
        std::vector<char> data(static_cast<std::size_t>(op.bytes));
        const ssize_t received = recv(fd, data.data(), data.size(), MSG_DONTWAIT);
        if (received < 0) return failed(errno);
        return received == 0 ? "eof" : ok(received);
    }

    std::string operator()(const ShutdownOp& op) {
        const int fd = fd_of(op.name);
        if (fd < 0) return failed(EBADF);
        const int how = op.how == ShutdownHow::rd ? SHUT_RD : op.how == ShutdownHow::wr ? SHUT_WR : SHUT_RDWR;
        return shutdown(fd, how) == 0 ? ok() : failed(errno);
    }

    std::string operator()(const CloseOp& op) {
        const int fd = fd_of(op.name);
        if (fd < 0) return failed(EBADF);
        fds_[op.name] = -1;
        return close(fd) == 0 ? ok() : failed(errno);
    }

    std::string operator()(const PortOp& op) {
        const int fd = fd_of(op.name);
        if (fd < 0) return failed(EBADF);
        sockaddr_storage storage{};
        socklen_t length = sizeof storage;
        if (getsockname(fd, reinterpret_cast<sockaddr*>(&storage), &length) != 0) return failed(errno);
        const in_port_t port = storage.ss_family == AF_INET6
                                   ? reinterpret_cast<sockaddr_in6*>(&storage)->sin6_port
                                   : reinterpret_cast<sockaddr_in*>(&storage)->sin_port;
        return ok(ntohs(port));
    }

    std::string operator()(const StateOp& op) {
        const int fd = fd_of(op.name);
        if (fd < 0) return failed(EBADF);
        tcp_info info{};
        socklen_t length = sizeof info;
        if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &length) != 0) return failed(errno);
        return fmt::format("ok {}", linux_tcp_state_name(info.tcpi_state));
    }

    std::string operator()(const TableOp&) { return ok(); }

    std::string operator()(const SleepOp& op) {
        const std::int64_t ns = op.duration.count_ns();
        timespec remaining{static_cast<time_t>(ns / 1'000'000'000), static_cast<long>(ns % 1'000'000'000)};
        while (clock_nanosleep(CLOCK_MONOTONIC, 0, &remaining, &remaining) == EINTR) {
        }
        return ok();
    }

private:
    int fd_of(const std::string& name) const {
        const auto it = fds_.find(name);
        return it == fds_.end() ? -1 : it->second;
    }

    static std::string sysctl(const std::string& name, const std::string& value) {
        // The parser only passes values Linux accepts, so a failed write is the environment's fault.
        if (auto error = write_ipv4_sysctl(name, value)) refuse(*error);
        return ok();
    }

    std::map<std::string, int> fds_;
};

// An address of /proc/net/tcp{,6}: the raw 32-bit words of the address printed with %08X (so
// in host byte order), a colon, the port in hex.
TableAddress proc_address(const std::string& field, bool v6) {
    const std::size_t colon = field.find(':');
    const std::string hex = field.substr(0, colon);
    const unsigned port = static_cast<unsigned>(std::stoul(field.substr(colon + 1), nullptr, 16));
    std::array<std::uint8_t, 16> bytes{};
    const std::size_t words = v6 ? 4 : 1;
    for (std::size_t w = 0; w < words; ++w) {
        const auto word = static_cast<std::uint32_t>(std::stoul(hex.substr(8 * w, 8), nullptr, 16));
        std::memcpy(bytes.data() + 4 * w, &word, 4);  // back to the bytes the kernel held
    }
    char text[INET6_ADDRSTRLEN] = {};
    inet_ntop(v6 ? AF_INET6 : AF_INET, bytes.data(), text, sizeof text);
    return TableAddress{text, v6, static_cast<int>(port)};
}

// Every TCP socket the namespace lists, as socket_table_line()s, sorted.
std::vector<std::string> socket_table() {
    std::vector<std::string> lines;
    int low = 0, high = -1;
    std::ifstream("/proc/sys/net/ipv4/ip_local_port_range") >> low >> high;
    for (const bool v6 : {false, true}) {
        std::ifstream table(v6 ? "/proc/net/tcp6" : "/proc/net/tcp");
        if (!table) continue;  // no IPv6 in this kernel
        std::string line;
        std::getline(table, line);  // the header
        while (std::getline(table, line)) {
            std::istringstream fields(line);
            std::string slot, local, remote, state;
            fields >> slot >> local >> remote >> state;
            lines.push_back(socket_table_line(proc_address(local, v6), proc_address(remote, v6),
                                              static_cast<int>(std::stoul(state, nullptr, 16)), low, high));
        }
    }
    std::sort(lines.begin(), lines.end());
    return lines;
}

int run(int argc, char** argv) {
    if (argc != 2 || std::string_view(argv[1]).starts_with("-")) {
        std::fprintf(stderr, "usage: unshare -n real_linux_runner SCRIPT\n");
        return exit_malformed;
    }
    const std::string path = argv[1];
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        std::fprintf(stderr, "real_linux_runner: cannot read %s\n", path.c_str());
        return exit_malformed;
    }
    std::stringstream text;
    text << in.rdbuf();
    auto parsed = parse_syscall_script(text.str(), path);
    if (const auto* error = std::get_if<ScriptError>(&parsed)) {
        std::fprintf(stderr, "%s\n", error->format().c_str());
        return exit_malformed;
    }

    if (auto why = unfit_namespace_reason())
        refuse(*why + "; start it in a fresh network namespace: unshare -n real_linux_runner SCRIPT");
    if (auto error = bring_loopback_up()) refuse(*error);
    std::signal(SIGPIPE, SIG_IGN);

    RealSockets sockets;
    for (const ScriptStep& step : std::get<SyscallScript>(parsed).steps) {
        const std::string outcome = std::visit(sockets, step.operation);
        std::printf("%d %s\n", step.line, outcome.c_str());
        if (std::holds_alternative<TableOp>(step.operation))
            for (const std::string& line : socket_table()) std::printf("%s\n", line.c_str());
        std::fflush(stdout);
    }
    return 0;
}

}  // namespace
}  // namespace netsim::conformance

int main(int argc, char** argv) { return netsim::conformance::run(argc, argv); }
