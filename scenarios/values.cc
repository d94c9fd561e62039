#include "scenarios/values.h"

#include <fmt/format.h>

#include <array>
#include <charconv>
#include <limits>

namespace netsim::scenarios {

namespace {

ParseError error_at(const SourceLocation& where, std::string message) { return ParseError{where, std::move(message)}; }

// The whole of `text` as an unsigned decimal number (no sign, no spaces), if it is one.
std::optional<std::uint64_t> whole_number(std::string_view text) {
    if (text.empty()) return std::nullopt;
    for (char c : text)
        if (c < '0' || c > '9') return std::nullopt;
    std::uint64_t value = 0;
    const char* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (ec != std::errc() || ptr != end) return std::nullopt;
    return value;
}

constexpr std::array all_strategies{ListenerStrategy::plain,     ListenerStrategy::reuseaddr,
                                    ListenerStrategy::restartable, ListenerStrategy::reuseport,
                                    ListenerStrategy::wait_release, ListenerStrategy::random_port};

constexpr std::array all_states{ConnectivityStateName::idle, ConnectivityStateName::connecting,
                                ConnectivityStateName::ready, ConnectivityStateName::transient_failure,
                                ConnectivityStateName::shutdown};

constexpr std::array all_errnos{
    kernel::Errno::ebadf,        kernel::Errno::eagain,        kernel::Errno::einval,
    kernel::Errno::epipe,        kernel::Errno::enotsock,      kernel::Errno::eopnotsupp,
    kernel::Errno::enoprotoopt,  kernel::Errno::eafnosupport,  kernel::Errno::eaddrinuse,
    kernel::Errno::eaddrnotavail, kernel::Errno::enetunreach,  kernel::Errno::econnaborted,
    kernel::Errno::econnreset,   kernel::Errno::eisconn,       kernel::Errno::enotconn,
    kernel::Errno::etimedout,    kernel::Errno::econnrefused,  kernel::Errno::ehostunreach,
    kernel::Errno::ealready,     kernel::Errno::einprogress,
};

// "a, b, c or d"
template <typename Names>
std::string one_of(const Names& names) {
    std::string text;
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (i > 0) text += i + 1 == names.size() ? " or " : ", ";
        text += names[i];
    }
    return text;
}

template <typename Values, typename Name>
std::string spellings(const Values& values, Name name) {
    std::vector<std::string> names;
    for (auto v : values) names.emplace_back(name(v));
    return one_of(names);
}

}  // namespace

bool is_step_label(std::string_view text) {
    if (is_identifier(text)) return true;
    constexpr std::string_view prefix = "step@";
    return text.starts_with(prefix) && whole_number(text.substr(prefix.size())).has_value() &&
           text.size() > prefix.size();
}

Parsed<std::int64_t> parse_integer(std::string_view text, const SourceLocation& where, std::string_view what,
                                   std::int64_t min, std::int64_t max) {
    const bool negative = !text.empty() && text.front() == '-' && min < 0;
    const auto magnitude = whole_number(negative ? text.substr(1) : text);
    if (!magnitude)
        return error_at(where, fmt::format("expected a whole number for {} ({}..{}), got '{}'", what, min, max, text));
    const auto limit = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    const bool in_range_of_type = *magnitude <= limit;
    const std::int64_t value = !in_range_of_type ? 0 : negative ? -static_cast<std::int64_t>(*magnitude)
                                                                 : static_cast<std::int64_t>(*magnitude);
    if (!in_range_of_type || value < min || value > max)
        return error_at(where, fmt::format("{} {} is out of range {}..{}", what, text, min, max));
    return value;
}

Parsed<Duration> parse_duration_value(std::string_view text, const SourceLocation& where) {
    if (auto d = parse_duration(text)) return *d;
    return error_at(where, fmt::format("expected a duration like 250ms or 2s, got '{}'", text));
}

Parsed<DurationRange> parse_window(std::string_view text, const SourceLocation& where) {
    const std::size_t dots = text.find("..");
    if (dots == std::string_view::npos) {
        auto d = parse_duration(text);
        if (!d)
            return error_at(where, fmt::format("expected a duration like 250ms or a window like 1s..3s, got '{}'", text));
        return DurationRange{*d, *d};
    }
    const auto low = parse_duration(text.substr(0, dots));
    const auto high = parse_duration(text.substr(dots + 2));
    if (!low || !high)
        return error_at(where, fmt::format("expected a window like 1s..3s (two durations), got '{}'", text));
    if (*high < *low) return error_at(where, fmt::format("window {} ends before it starts", text));
    return DurationRange{*low, *high};
}

Parsed<Rate> parse_rate(std::string_view text, const SourceLocation& where) {
    auto bad = [&] { return error_at(where, fmt::format("expected a rate like 200/s, 5/ms or 1/100ms, got '{}'", text)); };
    const std::size_t slash = text.find('/');
    if (slash == std::string_view::npos) return bad();
    const auto events = whole_number(text.substr(0, slash));
    // A bare unit (`/s`) is one of it.
    const std::string_view per_word = text.substr(slash + 1);
    const bool bare_unit = !per_word.empty() && (per_word.front() < '0' || per_word.front() > '9');
    const std::string per_text = bare_unit ? fmt::format("1{}", per_word) : std::string(per_word);
    const auto per = parse_duration(per_text);
    if (!events || !per) return bad();
    if (*per == Duration::zero()) return error_at(where, fmt::format("rate {} is per zero time", text));
    return Rate{*events, *per};
}

Parsed<std::uint32_t> parse_percent(std::string_view text, const SourceLocation& where) {
    const auto value = text.ends_with('%') ? whole_number(text.substr(0, text.size() - 1)) : std::nullopt;
    if (!value) return error_at(where, fmt::format("expected a percentage like 99%, got '{}'", text));
    if (*value > 100) return error_at(where, fmt::format("percentage {} is above 100%", text));
    return static_cast<std::uint32_t>(*value);
}

Parsed<std::pair<std::uint32_t, std::uint32_t>> parse_loss(std::string_view text, const SourceLocation& where) {
    auto bad = [&] { return error_at(where, fmt::format("expected a loss like 1/100 or 1%, got '{}'", text)); };
    if (text.ends_with('%')) {
        const auto percent = whole_number(text.substr(0, text.size() - 1));
        if (!percent) return bad();
        if (*percent > 100) return error_at(where, fmt::format("loss {} is above 100%", text));
        return std::pair{static_cast<std::uint32_t>(*percent), std::uint32_t{100}};
    }
    const std::size_t slash = text.find('/');
    if (slash == std::string_view::npos) return bad();
    const auto numerator = whole_number(text.substr(0, slash));
    const auto denominator = whole_number(text.substr(slash + 1));
    constexpr std::uint64_t limit = std::numeric_limits<std::uint32_t>::max();
    if (!numerator || !denominator || *denominator > limit) return bad();
    if (*denominator == 0) return error_at(where, fmt::format("loss {} divides by zero", text));
    if (*numerator > *denominator) return error_at(where, fmt::format("loss {} is above 1", text));
    return std::pair{static_cast<std::uint32_t>(*numerator), static_cast<std::uint32_t>(*denominator)};
}

Parsed<net::Port> parse_port(std::string_view text, const SourceLocation& where) {
    const auto value = whole_number(text);
    if (!value || *value > 65535) return error_at(where, fmt::format("expected a port (0..65535), got '{}'", text));
    return static_cast<net::Port>(*value);
}

Parsed<std::pair<net::Port, net::Port>> parse_port_range(std::string_view text, const SourceLocation& where) {
    const std::size_t dash = text.find('-');
    const auto low = dash == std::string_view::npos ? std::nullopt : whole_number(text.substr(0, dash));
    const auto high = dash == std::string_view::npos ? std::nullopt : whole_number(text.substr(dash + 1));
    if (!low || !high || *low < 1 || *low > 65535 || *high > 65535)
        return error_at(where, fmt::format("expected a port range like 32768-60999 (ports 1..65535), got '{}'", text));
    if (*high < *low) return error_at(where, fmt::format("port range {} ends before it starts", text));
    return std::pair{static_cast<net::Port>(*low), static_cast<net::Port>(*high)};
}

Parsed<net::IpAddress> parse_ip_address(std::string_view text, const SourceLocation& where) {
    if (auto ip = net::IpAddress::parse(text)) return *ip;
    return error_at(where, fmt::format("expected an IP address like 127.0.0.1 or ::1, got '{}'", text));
}

Parsed<net::SocketAddress> parse_socket_address(std::string_view text, const SourceLocation& where) {
    auto bad = [&] {
        return error_at(where, fmt::format("expected an address like 127.0.0.1:8080 or [::1]:8080, got '{}'", text));
    };
    std::string_view ip_text;
    std::string_view port_text;
    if (text.starts_with('[')) {
        const std::size_t close = text.find("]:");
        if (close == std::string_view::npos) return bad();
        ip_text = text.substr(1, close - 1);
        port_text = text.substr(close + 2);
    } else {
        const std::size_t colon = text.rfind(':');
        if (colon == std::string_view::npos) return bad();
        ip_text = text.substr(0, colon);
        port_text = text.substr(colon + 1);
        if (ip_text.find(':') != std::string_view::npos) return bad();  // IPv6 needs brackets
    }
    const auto ip = net::IpAddress::parse(ip_text);
    const auto port = whole_number(port_text);
    if (!ip || !port || *port > 65535 || (text.starts_with('[') && !ip->is_v6())) return bad();
    return net::SocketAddress{*ip, static_cast<net::Port>(*port)};
}

Parsed<bool> parse_bool(std::string_view text, const SourceLocation& where) {
    if (text == "true") return true;
    if (text == "false") return false;
    return error_at(where, fmt::format("expected true or false, got '{}'", text));
}

Parsed<ListenerStrategy> parse_listener_strategy(std::string_view text, const SourceLocation& where) {
    for (ListenerStrategy s : all_strategies)
        if (text == app::listener_strategy_name(s)) return s;
    return error_at(where, fmt::format("expected a listener strategy ({}), got '{}'",
                                       spellings(all_strategies, app::listener_strategy_name), text));
}

Parsed<ConnectivityStateName> parse_state_name(std::string_view text, const SourceLocation& where) {
    bool lower_case_match = false;
    for (ConnectivityStateName s : all_states) {
        const std::string_view name = state_name(s);
        if (text == name) return s;
        if (text.size() == name.size()) {
            bool same = true;
            for (std::size_t i = 0; i < name.size(); ++i)
                same = same && (text[i] == name[i] || (text[i] >= 'a' && text[i] <= 'z' && text[i] - 'a' + 'A' == name[i]));
            lower_case_match = lower_case_match || same;
        }
    }
    return error_at(where, fmt::format("expected a connectivity state ({}), got '{}'{}", spellings(all_states, state_name),
                                       text, lower_case_match ? " (state names are upper case)" : ""));
}

Parsed<kernel::Errno> parse_errno_name(std::string_view text, const SourceLocation& where) {
    for (kernel::Errno e : all_errnos)
        if (text == kernel::errno_name(e)) return e;
    return error_at(where, fmt::format("expected an errno name ({}), got '{}'", spellings(all_errnos, kernel::errno_name),
                                       text));
}

Parsed<NoiseTarget> parse_noise_target(std::string_view text, const SourceLocation& where) {
    if (is_identifier(text)) return NoiseTarget{std::string(text)};
    auto address = parse_socket_address(text, where);
    if (!address)
        return error_at(where, fmt::format("expected a server name or an address like 127.0.0.1:8080, got '{}'", text));
    return NoiseTarget{address.value()};
}

std::string_view state_name(ConnectivityStateName state) {
    switch (state) {
        case ConnectivityStateName::idle: return "IDLE";
        case ConnectivityStateName::connecting: return "CONNECTING";
        case ConnectivityStateName::ready: return "READY";
        case ConnectivityStateName::transient_failure: return "TRANSIENT_FAILURE";
        case ConnectivityStateName::shutdown: return "SHUTDOWN";
    }
    return "?";
}

std::string_view noise_kind_name(NoiseKind kind) {
    switch (kind) {
        case NoiseKind::listeners: return "listeners";
        case NoiseKind::connects: return "connects";
        case NoiseKind::holders: return "holders";
    }
    return "?";
}

}  // namespace netsim::scenarios
