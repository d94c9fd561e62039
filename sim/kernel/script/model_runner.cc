#include "sim/kernel/script/model_runner.h"

#include "sim/core/check.h"
#include "sim/kernel/kernel.h"

#include <algorithm>
#include <array>
#include <map>
#include <optional>

namespace netsim::kernel {

namespace {

class ModelScriptRunner {
public:
    explicit ModelScriptRunner(std::uint64_t seed)
        : sim_(options_for(seed)), network_(sim_), kernel_(sim_, network_, network_.add_host("host")) {
        sim_.trace().retain_records(true);
    }

    ScriptRun run(const SyscallScript& script) {
        ScriptRun result;
        for (const ScriptStep& step : script.steps) {
            const std::string subject = std::visit([](const auto& op) { return subject_of(op); }, step.operation);
            result.conditions.push_back(StepCondition{std::string(operation_keyword(step.operation)), condition_of(subject)});
            const std::string outcome = std::visit([this](const auto& op) { return execute(op); }, step.operation);
            remember(step.operation, subject, outcome);
            result.lines.push_back(fmt::format("{} {}", step.line, outcome));
            if (std::holds_alternative<TableOp>(step.operation))
                for (std::string& line : socket_table()) result.lines.push_back(std::move(line));
            sim_.run_until(sim_.now());
        }
        result.trace_hash = sim_.trace().hash();
        for (const TraceRecord& r : sim_.trace().records()) result.trace.push_back(format_trace_record(r));
        return result;
    }

private:
    static SimulationOptions options_for(std::uint64_t seed) {
        SimulationOptions o;
        o.seed = seed;
        return o;
    }

    // ---- step conditions (see StepCondition) -------------------------------------------
    template <typename Op>
    static std::string subject_of(const Op& op) {
        if constexpr (requires { op.listener; }) return op.listener;
        else if constexpr (requires { op.name; }) return op.name;
        else return {};
    }

    static std::string_view operation_keyword(const ScriptOperation& op) {
        static constexpr std::array<std::string_view, std::variant_size_v<ScriptOperation>> keywords = {
            "sysctl", "sysctl", "socket", "setsockopt", "bind", "listen", "connect", "accept",
            "send",   "recv",   "shutdown", "close", "port", "error", "state", "table", "sleep"};
        return keywords[op.index()];
    }

    std::string condition_of(const std::string& subject) const {
        if (subject.empty()) return "host";
        const auto it = names_.find(subject);
        if (it == names_.end()) return "new_name";
        if (!it->second) return "no_socket";
        for (const SocketView& v : kernel_.sockets()) {
            if (v.fd != it->second) continue;
            const std::string_view state = linux_tcp_state_name(linux_state_number(v.state));
            if (v.state != TcpState::closed) return std::string(state);
            const auto h = history_.find(subject);
            return fmt::format("{}/{}", state, h == history_.end() ? "fresh" : h->second);
        }
        return "no_socket";
    }

    // What left a socket CLOSE, from the outcomes its name has seen.
    void remember(const ScriptOperation& op, const std::string& subject, const std::string& outcome) {
        if (subject.empty()) return;
        std::string& h = history_[subject];
        const bool ok = outcome.starts_with("ok") || outcome == "eof";
        if (std::holds_alternative<SocketOp>(op)) h = "fresh";
        else if (std::holds_alternative<BindOp>(op)) h = ok ? "bound" : "bind_failed";
        else if (std::holds_alternative<ListenOp>(op) && !ok) h = "listen_failed";
        else if (std::holds_alternative<ShutdownOp>(op) && outcome == "ENOTCONN") h = "shut_unconnected";
        else if (outcome == "ECONNREFUSED") h = "refused";
        else if (outcome == "ECONNRESET") h = "reset";
        else if (outcome == "ETIMEDOUT") h = "timed_out";
        else if (std::holds_alternative<ConnectOp>(op) && !ok && outcome != "EINPROGRESS" && outcome != "EALREADY")
            h = "connect_failed";
        if (const auto* accept = std::get_if<AcceptOp>(&op); accept && ok) history_[accept->name] = "fresh";
        // A socket seen connected that later reads CLOSE with no error noted ended normally
        // (passive close done, or its connection moved to a TIME_WAIT socket).
        const auto it = names_.find(subject);
        if (it == names_.end() || !it->second) return;
        for (const SocketView& v : kernel_.sockets())
            if (v.fd == it->second && v.state != TcpState::closed && v.state != TcpState::listen &&
                v.state != TcpState::syn_sent)
                h = "ended";
    }

    static std::string outcome(Errno e) { return e == Errno::ok ? "ok" : std::string(errno_name(e)); }

    std::optional<Fd> fd_of(const std::string& name) const {
        auto it = names_.find(name);
        NETSIM_CHECK_MSG(it != names_.end(), "parser let through unknown name {}", name);
        return it->second;
    }

    static net::SocketAddress address(const std::string& text, int port) {
        auto ip = net::IpAddress::parse(text);
        NETSIM_CHECK_MSG(ip.has_value(), "parser let through bad address {}", text);
        return net::SocketAddress{*ip, static_cast<net::Port>(port)};
    }

    std::string execute(const SysctlPortRange& op) {
        kernel_.sysctls().ip_local_port_range_low = static_cast<net::Port>(op.low);
        kernel_.sysctls().ip_local_port_range_high = static_cast<net::Port>(op.high);
        return "ok";
    }
    std::string execute(const SysctlTwReuse& op) {
        kernel_.sysctls().tcp_tw_reuse = op.mode;
        return "ok";
    }
    std::string execute(const SocketOp& op) {
        Result<Fd> fd = kernel_.socket(op.family == Family::inet ? net::IpFamily::v4 : net::IpFamily::v6);
        if (!fd) return outcome(fd.error());
        names_[op.name] = fd.value();
        return "ok";
    }
    std::string execute(const SetsockoptOp& op) {
        auto fd = fd_of(op.name);
        if (!fd) return "EBADF";
        SocketOption option = SocketOption::reuseaddr;
        switch (op.option) {
            case SockOption::reuseaddr: option = SocketOption::reuseaddr; break;
            case SockOption::reuseport: option = SocketOption::reuseport; break;
            case SockOption::v6only: option = SocketOption::v6only; break;
            case SockOption::linger: option = SocketOption::linger; break;
        }
        return outcome(kernel_.setsockopt(*fd, option, op.linger_off ? -1 : op.value));
    }
    std::string execute(const BindOp& op) {
        auto fd = fd_of(op.name);
        if (!fd) return "EBADF";
        return outcome(kernel_.bind(*fd, address(op.address, op.port)));
    }
    std::string execute(const ListenOp& op) {
        auto fd = fd_of(op.name);
        if (!fd) return "EBADF";
        return outcome(kernel_.listen(*fd, op.backlog));
    }
    std::string execute(const ConnectOp& op) {
        auto fd = fd_of(op.name);
        if (!fd) return "EBADF";
        const net::SocketAddress target = address(op.address, op.port);
        Errno e = kernel_.connect(*fd, target);
        if (op.nonblocking || (e != Errno::einprogress && e != Errno::ealready)) return outcome(e);
        // Blocking connect (inet_wait_for_connect): let the handshake (and its SYN retries) run
        // to its end and everything due at that instant, then look at the outcome as
        // __inet_stream_connect does after its wait, which is what connect() called again does.
        while (kernel_.connect_in_progress(*fd) && sim_.pending_events() > 0) sim_.run_events(1);
        NETSIM_CHECK_MSG(!kernel_.connect_in_progress(*fd), "connect still in progress with nothing scheduled");
        sim_.run_until(sim_.now());
        return outcome(kernel_.connect(*fd, target));
    }
    std::string execute(const ErrorOp& op) {
        auto fd = fd_of(op.name);
        if (!fd) return "EBADF";
        return outcome(kernel_.socket_error(*fd));
    }
    std::string execute(const AcceptOp& op) {
        auto listener = fd_of(op.listener);
        if (!listener) {
            names_[op.name] = std::nullopt;
            return "EBADF";
        }
        Result<Fd> fd = kernel_.accept(*listener);
        names_[op.name] = fd ? std::optional<Fd>(fd.value()) : std::nullopt;
        return fd ? "ok" : outcome(fd.error());
    }
    std::string execute(const SendOp& op) {
        auto fd = fd_of(op.name);
        if (!fd) return "EBADF";
        Result<std::size_t> sent = kernel_.send(*fd, static_cast<std::size_t>(op.bytes));
        return sent ? fmt::format("ok {}", sent.value()) : outcome(sent.error());
    }
    std::string execute(const RecvOp& op) {
        auto fd = fd_of(op.name);
        if (!fd) return "EBADF";
        Result<std::size_t> got = kernel_.recv(*fd, static_cast<std::size_t>(op.bytes));
        if (!got) return outcome(got.error());
        return got.value() == 0 ? "eof" : fmt::format("ok {}", got.value());
    }
    std::string execute(const ShutdownOp& op) {
        auto fd = fd_of(op.name);
        if (!fd) return "EBADF";
        const ShutdownMode mode = op.how == ShutdownHow::rd   ? ShutdownMode::read
                                  : op.how == ShutdownHow::wr ? ShutdownMode::write
                                                              : ShutdownMode::both;
        return outcome(kernel_.shutdown(*fd, mode));
    }
    std::string execute(const CloseOp& op) {
        auto fd = fd_of(op.name);
        if (!fd) return "EBADF";
        names_[op.name] = std::nullopt;
        return outcome(kernel_.close(*fd));
    }
    std::string execute(const PortOp& op) {
        auto fd = fd_of(op.name);
        if (!fd) return "EBADF";
        Result<net::SocketAddress> local = kernel_.getsockname(*fd);
        return local ? fmt::format("ok {}", local.value().port) : outcome(local.error());
    }
    std::string execute(const StateOp& op) {
        auto fd = fd_of(op.name);
        if (!fd) return "EBADF";
        for (const SocketView& v : kernel_.sockets())
            if (v.fd == fd) return fmt::format("ok {}", linux_tcp_state_name(linux_state_number(v.state)));
        return "EBADF";
    }

    // What Linux lists in /proc/net/tcp{,6}: listeners and every socket in the connection
    // table (a bound or closed socket is in neither), sorted.
    std::vector<std::string> socket_table() const {
        std::vector<std::string> lines;
        for (const SocketView& v : kernel_.sockets()) {
            if (v.state == TcpState::closed || !v.local) continue;
            const bool v6 = v.family == net::IpFamily::v6;
            const auto as_family = [&](const net::SocketAddress& a) {
                return TableAddress{(v6 ? a.ip.mapped_v6() : a.ip).to_string(), v6, a.port};
            };
            // A listener's peer is the address its last connect() left behind, port 0.
            const net::SocketAddress nobody{v.last_destination.value_or(net::IpAddress::any(v.family)), 0};
            const Sysctls& sysctls = kernel_.sysctls();
            lines.push_back(socket_table_line(as_family(*v.local), as_family(v.remote.value_or(nobody)),
                                              linux_state_number(v.state), sysctls.ip_local_port_range_low,
                                              sysctls.ip_local_port_range_high));
        }
        std::sort(lines.begin(), lines.end());
        return lines;
    }

    std::string execute(const TableOp&) { return "ok"; }

    std::string execute(const SleepOp& op) {
        sim_.run_until(sim_.now() + op.duration);
        return "ok";
    }

    Simulation sim_;
    net::Network network_;
    Kernel kernel_;
    std::map<std::string, std::optional<Fd>> names_;
    std::map<std::string, std::string> history_;  // name -> what last left it CLOSE
};

}  // namespace

ScriptRun run_script_on_model(const SyscallScript& script, std::uint64_t seed) {
    ModelScriptRunner runner(seed);
    return runner.run(script);
}

}  // namespace netsim::kernel
