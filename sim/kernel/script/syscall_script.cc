#include "sim/kernel/script/syscall_script.h"

#include "sim/core/identifier.h"

#include <arpa/inet.h>
#include <fmt/format.h>

#include <array>
#include <charconv>
#include <cstdint>
#include <set>

namespace netsim::kernel {

namespace {

struct Token {
    std::string_view text;
    int column = 0;  // 1-based
};

// A malformed line: thrown inside the parser only, turned into a ScriptError at its boundary.
struct LineError {
    int column = 0;
    std::string message;
};

// Splits a line into tokens separated by spaces or tabs; `#` starts a comment.
std::vector<Token> tokenize(std::string_view line) {
    std::vector<Token> tokens;
    std::size_t i = 0;
    while (i < line.size()) {
        const char c = line[i];
        if (c == '#') break;
        if (c == ' ' || c == '\t' || c == '\r') {
            ++i;
            continue;
        }
        const std::size_t start = i;
        while (i < line.size() && line[i] != ' ' && line[i] != '\t' && line[i] != '\r' && line[i] != '#') ++i;
        tokens.push_back(Token{line.substr(start, i - start), static_cast<int>(start) + 1});
    }
    return tokens;
}

// Parses one line's tokens; knows which names earlier lines introduced.
class LineParser {
public:
    LineParser(const std::vector<Token>& tokens, std::set<std::string, std::less<>>& names)
        : tokens_(tokens), names_(names) {}

    ScriptOperation parse() {
        const std::string_view op = tokens_[0].text;
        if (op == "sysctl") return parse_sysctl();
        if (op == "socket") {
            arity(1, 2, "socket NAME [inet|inet6]");
            SocketOp result{new_name(1), Family::inet};
            if (tokens_.size() == 3) result.family = family(2);
            return result;
        }
        if (op == "setsockopt") {
            arity(3, 3, "setsockopt NAME OPTION VALUE");
            return parse_setsockopt();
        }
        if (op == "bind") {
            arity(3, 3, "bind NAME ADDR PORT");
            return BindOp{known_name(1), address(2), number(3, "port", 0, 65535)};
        }
        if (op == "listen") {
            arity(2, 2, "listen NAME BACKLOG");
            return ListenOp{known_name(1), number(2, "backlog", 0, INT32_MAX)};
        }
        if (op == "connect") {
            arity(3, 4, "connect NAME ADDR PORT [nonblock]");
            ConnectOp result{known_name(1), address(2), number(3, "port", 0, 65535), false};
            if (tokens_.size() == 5) {
                if (tokens_[4].text != "nonblock")
                    throw LineError{tokens_[4].column,
                                    fmt::format("unknown connect flag '{}' (expected nonblock)", tokens_[4].text)};
                result.nonblocking = true;
            }
            return result;
        }
        if (op == "error") {
            arity(1, 1, "error NAME");
            return ErrorOp{known_name(1)};
        }
        if (op == "accept") {
            arity(2, 2, "accept LISTENER NAME");
            std::string listener = known_name(1);
            return AcceptOp{std::move(listener), new_name(2)};
        }
        if (op == "send") {
            arity(2, 2, "send NAME BYTES");
            return SendOp{known_name(1), number(2, "byte count", 0, max_transfer_bytes)};
        }
        if (op == "recv") {
            arity(2, 2, "recv NAME BYTES");
            return RecvOp{known_name(1), number(2, "byte count", 1, max_transfer_bytes)};
        }
        if (op == "shutdown") {
            arity(2, 2, "shutdown NAME rd|wr|rdwr");
            return ShutdownOp{known_name(1), shutdown_how(2)};
        }
        if (op == "close") {
            arity(1, 1, "close NAME");
            return CloseOp{known_name(1)};
        }
        if (op == "port") {
            arity(1, 1, "port NAME");
            return PortOp{known_name(1)};
        }
        if (op == "state") {
            arity(1, 1, "state NAME");
            return StateOp{known_name(1)};
        }
        if (op == "table") {
            arity(0, 0, "table");
            return TableOp{};
        }
        if (op == "sleep") {
            arity(1, 1, "sleep DURATION");
            return SleepOp{duration(1)};
        }
        throw LineError{tokens_[0].column,
                        fmt::format("unknown operation '{}' (expected sysctl, socket, setsockopt, "
                                    "bind, listen, connect, accept, send, recv, shutdown, close, "
                                    "port, error, state, table or sleep)",
                                    op)};
    }

private:
    ScriptOperation parse_sysctl() {
        if (tokens_.size() < 2)
            throw LineError{tokens_[0].column,
                            "'sysctl' needs a name (sysctl ip_local_port_range LO HI, or "
                            "sysctl tcp_tw_reuse N)"};
        const Token& which = tokens_[1];
        if (which.text == "ip_local_port_range") {
            arity(2, 2, "sysctl ip_local_port_range LO HI", 2);
            const int low = number(2, "port range start", 1024, 65535);
            const int high = number(3, "port range end", 1024, 65535);
            if (high < low)
                throw LineError{tokens_[3].column,
                                fmt::format("port range end {} is below its start {}", high, low)};
            return SysctlPortRange{low, high};
        }
        if (which.text == "tcp_tw_reuse") {
            arity(1, 1, "sysctl tcp_tw_reuse N", 2);
            return SysctlTwReuse{number(2, "tcp_tw_reuse", 0, 2)};
        }
        throw LineError{which.column, fmt::format("unknown sysctl '{}' (expected "
                                                  "ip_local_port_range or tcp_tw_reuse)",
                                                  which.text)};
    }

    ScriptOperation parse_setsockopt() {
        std::string name = known_name(1);
        const Token& option_token = tokens_[2];
        const Token& value_token = tokens_[3];
        static constexpr std::array options{SockOption::reuseaddr, SockOption::reuseport, SockOption::v6only,
                                            SockOption::linger};
        for (SockOption option : options) {
            if (option_token.text != option_name(option)) continue;
            if (option == SockOption::linger) {
                if (value_token.text == "off") return SetsockoptOp{std::move(name), option, 0, true};
                if (!all_digits(value_token.text))
                    throw LineError{value_token.column,
                                    fmt::format("bad value '{}' for SO_LINGER (expected seconds or off)",
                                                value_token.text)};
                return SetsockoptOp{std::move(name), option, number(3, "linger time", 0, INT32_MAX), false};
            }
            if (value_token.text != "0" && value_token.text != "1")
                throw LineError{value_token.column, fmt::format("bad value '{}' for {} (expected 0 or 1)",
                                                                value_token.text, option_token.text)};
            return SetsockoptOp{std::move(name), option, value_token.text == "1" ? 1 : 0, false};
        }
        throw LineError{option_token.column,
                        fmt::format("unknown option '{}' (expected SO_REUSEADDR, SO_REUSEPORT, "
                                    "IPV6_V6ONLY or SO_LINGER)",
                                    option_token.text)};
    }

    // The operation takes `min`..`max` arguments after its first `words` tokens (the operation's
    // name: one word, or two for `sysctl NAME`).
    void arity(std::size_t min, std::size_t max, std::string_view usage, std::size_t words = 1) const {
        const std::size_t got = tokens_.size() - words;
        if (got >= min && got <= max) return;
        const std::string label = words == 1 ? std::string(tokens_[0].text)
                                             : fmt::format("{} {}", tokens_[0].text, tokens_[1].text);
        const std::string expected = min == max ? fmt::format("{}", min) : fmt::format("{} or {}", min, max);
        const std::string text = fmt::format("'{}' takes {} argument{} ({}), got {}", label, expected,
                                             max == 1 ? "" : "s", usage, got);
        // Too many: point at the first extra token. Too few: at the operation.
        throw LineError{got > max ? tokens_[words + max].column : tokens_[0].column, text};
    }

    static bool all_digits(std::string_view text) {
        if (text.empty()) return false;
        for (char c : text)
            if (c < '0' || c > '9') return false;
        return true;
    }

    int number(std::size_t index, std::string_view what, std::int64_t min, std::int64_t max) const {
        const Token& token = tokens_[index];
        if (!all_digits(token.text))
            throw LineError{token.column,
                            fmt::format("bad number '{}' (expected a decimal integer)", token.text)};
        std::int64_t value = 0;
        const char* end = token.text.data() + token.text.size();
        const auto [ptr, ec] = std::from_chars(token.text.data(), end, value);
        if (ec != std::errc() || ptr != end || value < min || value > max)
            throw LineError{token.column,
                            fmt::format("{} {} out of range {}..{}", what, token.text, min, max)};
        return static_cast<int>(value);
    }

    // A name introduced by an earlier `socket NAME` or `accept LISTENER NAME`.
    std::string known_name(std::size_t index) const {
        const Token& token = tokens_[index];
        if (!names_.contains(token.text))
            throw LineError{token.column,
                            fmt::format("unknown socket name '{}' (introduce it with 'socket {}' or "
                                        "'accept LISTENER {}' first)",
                                        token.text, token.text, token.text)};
        return std::string(token.text);
    }

    // A name this line introduces (or introduces again).
    std::string new_name(std::size_t index) const {
        const Token& token = tokens_[index];
        if (!is_identifier(token.text))
            throw LineError{token.column, fmt::format("bad socket name '{}' (expected a letter or '_', then "
                                                      "letters, digits or '_')",
                                                      token.text)};
        names_.emplace(token.text);
        return std::string(token.text);
    }

    Family family(std::size_t index) const {
        const Token& token = tokens_[index];
        if (token.text == "inet") return Family::inet;
        if (token.text == "inet6") return Family::inet6;
        throw LineError{token.column,
                        fmt::format("unknown family '{}' (expected inet or inet6)", token.text)};
    }

    std::string address(std::size_t index) const {
        const Token& token = tokens_[index];
        if (!address_family(token.text))
            throw LineError{token.column, fmt::format("bad address '{}' (expected an IPv4 or IPv6 "
                                                      "literal such as 127.0.0.1 or ::1)",
                                                      token.text)};
        return std::string(token.text);
    }

    ShutdownHow shutdown_how(std::size_t index) const {
        const Token& token = tokens_[index];
        if (token.text == "rd") return ShutdownHow::rd;
        if (token.text == "wr") return ShutdownHow::wr;
        if (token.text == "rdwr") return ShutdownHow::rdwr;
        throw LineError{token.column,
                        fmt::format("unknown shutdown direction '{}' (expected rd, wr or rdwr)", token.text)};
    }

    Duration duration(std::size_t index) const {
        const Token& token = tokens_[index];
        if (auto d = parse_duration(token.text)) return *d;
        throw LineError{token.column, fmt::format("bad duration '{}' (expected a whole number "
                                                  "and a unit: 250ms, 2s, 61s)",
                                                  token.text)};
    }

    const std::vector<Token>& tokens_;
    std::set<std::string, std::less<>>& names_;
};

}  // namespace

std::string ScriptError::format() const { return fmt::format("{}:{}:{}: {}", file, line, column, message); }

std::optional<Family> address_family(std::string_view address) {
    const std::string text(address);
    unsigned char buffer[sizeof(in6_addr)];
    if (inet_pton(AF_INET, text.c_str(), buffer) == 1) return Family::inet;
    if (inet_pton(AF_INET6, text.c_str(), buffer) == 1) return Family::inet6;
    return std::nullopt;
}

std::string_view option_name(SockOption option) {
    switch (option) {
        case SockOption::reuseaddr: return "SO_REUSEADDR";
        case SockOption::reuseport: return "SO_REUSEPORT";
        case SockOption::v6only: return "IPV6_V6ONLY";
        case SockOption::linger: return "SO_LINGER";
    }
    return "?";
}

std::variant<SyscallScript, ScriptError> parse_syscall_script(std::string_view text, std::string file_name) {
    SyscallScript script{file_name, {}};
    std::set<std::string, std::less<>> names;
    int line_number = 0;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        const std::string_view line = text.substr(start, end - start);
        start = end + 1;
        ++line_number;
        const std::vector<Token> tokens = tokenize(line);
        if (tokens.empty()) continue;
        try {
            script.steps.push_back(ScriptStep{line_number, LineParser(tokens, names).parse()});
        } catch (const LineError& error) {
            return ScriptError{std::move(file_name), line_number, error.column, error.message};
        }
    }
    return script;
}

std::string_view linux_tcp_state_name(int tcpi_state) {
    static constexpr std::array<std::string_view, 12> names = {
        "?",         "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2",
        "TIME_WAIT", "CLOSE",       "CLOSE_WAIT", "LAST_ACK", "LISTEN",  "CLOSING",
    };
    return tcpi_state > 0 && tcpi_state < static_cast<int>(names.size()) ? names[static_cast<std::size_t>(tcpi_state)]
                                                                           : names[0];
}

std::string socket_table_line(const TableAddress& local, const TableAddress& remote, int tcpi_state,
                              int ephemeral_low, int ephemeral_high) {
    const auto text = [&](const TableAddress& a) {
        const std::string port =
            a.port >= ephemeral_low && a.port <= ephemeral_high ? std::string("*") : std::to_string(a.port);
        return a.v6 ? fmt::format("[{}]:{}", a.ip, port) : fmt::format("{}:{}", a.ip, port);
    };
    return fmt::format("table {} {} {}", text(local), text(remote), linux_tcp_state_name(tcpi_state));
}

}  // namespace netsim::kernel
