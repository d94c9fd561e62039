// The parsers of the scenario language's statements, one function per statement keyword. Each
// reads one line through a StatementReader (positioned after the keyword), adds what it
// describes to the context's scenario, records the names it defines and uses, and returns the
// first error on the line; nothing is added from a line that has an error.
#pragma once

#include "scenarios/statement_reader.h"

#include <optional>

namespace netsim::scenarios {

// The world (world_statements.cc).
std::optional<ParseError> parse_host(StatementReader& reader, ParseContext& context);
std::optional<ParseError> parse_sysctl(StatementReader& reader, ParseContext& context);
std::optional<ParseError> parse_link(StatementReader& reader, ParseContext& context);
std::optional<ParseError> parse_server(StatementReader& reader, ParseContext& context);
std::optional<ParseError> parse_noise(StatementReader& reader, ParseContext& context);
std::optional<ParseError> parse_channel(StatementReader& reader, ParseContext& context);
std::optional<ParseError> parse_rpcs(StatementReader& reader, ParseContext& context);

// The timeline (timeline_statements.cc). A step line; with `in any order` its actions come from
// the indented lines that follow, each read by parse_action on a reader of its own. A step's
// reader starts at the trigger keyword, on a line passed through split_trigger_colon.
Line split_trigger_colon(const Line& line);
Parsed<Step> parse_step(StatementReader& reader, ParseContext& context);
Parsed<Action> parse_action(StatementReader& reader, ParseContext& context);

// The expectations (expectation_statements.cc).
std::optional<ParseError> parse_expectation(StatementReader& reader, ParseContext& context);

}  // namespace netsim::scenarios
