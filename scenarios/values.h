// The value words of the scenario language (durations, windows, rates, percentages, loss
// ratios, ports and port ranges, addresses, booleans and the enumerated names) parsed from text
// into the model's types. Each parser accepts exactly one spelling per value and returns either
// the value or a ParseError at `where` that says what was expected and what it got.
#pragma once

#include "scenarios/model.h"
#include "sim/core/identifier.h"
#include "scenarios/parse_error.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace netsim::scenarios {

// A letter or '_', then letters, digits or '_': the spelling of every name a file defines.
using netsim::is_identifier;  // sim/core/identifier.h

// A step label: an identifier, or `step@LINE`, the label of a step written without `as`.
bool is_step_label(std::string_view text);

// A decimal integer in min..max; `what` names it in the error ("backlog", "count").
Parsed<std::int64_t> parse_integer(std::string_view text, const SourceLocation& where, std::string_view what,
                                   std::int64_t min, std::int64_t max);

// "250ms", "2s", "3m": a whole number and a unit (ns, us, ms, s, m, h).
Parsed<Duration> parse_duration_value(std::string_view text, const SourceLocation& where);

// "10ms" (fixed) or "1s..3s" (a window the seed picks from); the end may not precede the start.
Parsed<DurationRange> parse_window(std::string_view text, const SourceLocation& where);

// "200/s", "5/ms", "1/100ms": events over a unit or a duration.
Parsed<Rate> parse_rate(std::string_view text, const SourceLocation& where);

// "99%": a whole percentage, 0..100.
Parsed<std::uint32_t> parse_percent(std::string_view text, const SourceLocation& where);

// "1/100" or "1%": a loss ratio, at most 1. Returns (numerator, denominator).
Parsed<std::pair<std::uint32_t, std::uint32_t>> parse_loss(std::string_view text, const SourceLocation& where);

// "5000": 0..65535.
Parsed<net::Port> parse_port(std::string_view text, const SourceLocation& where);

// "32768-60999": 1 <= low <= high <= 65535.
Parsed<std::pair<net::Port, net::Port>> parse_port_range(std::string_view text, const SourceLocation& where);

// "127.0.0.1", "fd00::2".
Parsed<net::IpAddress> parse_ip_address(std::string_view text, const SourceLocation& where);

// "127.0.0.1:0", "[::1]:50051" (an IPv6 address in brackets).
Parsed<net::SocketAddress> parse_socket_address(std::string_view text, const SourceLocation& where);

// "true" or "false".
Parsed<bool> parse_bool(std::string_view text, const SourceLocation& where);

// "plain", "reuseaddr", "restartable", "reuseport", "wait_release", "random_port".
Parsed<ListenerStrategy> parse_listener_strategy(std::string_view text, const SourceLocation& where);

// "IDLE", "CONNECTING", "READY", "TRANSIENT_FAILURE", "SHUTDOWN".
Parsed<ConnectivityStateName> parse_state_name(std::string_view text, const SourceLocation& where);

// "EADDRINUSE", "ECONNREFUSED", ...: the names `kernel::errno_name` gives.
Parsed<kernel::Errno> parse_errno_name(std::string_view text, const SourceLocation& where);

// A noise `target=`: a server name (an identifier) or a socket address.
using NoiseTarget = std::variant<std::string, net::SocketAddress>;
Parsed<NoiseTarget> parse_noise_target(std::string_view text, const SourceLocation& where);

// The spellings the parsers accept, for messages and for writing a model back as text.
std::string_view state_name(ConnectivityStateName state);
std::string_view noise_kind_name(NoiseKind kind);

}  // namespace netsim::scenarios
