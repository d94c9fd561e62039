// The scenario language's parser: text in, a fully resolved `Scenario` or the first
// `ParseError` out (`file:line:col: message`), never an exception. Every name used is defined,
// every value is in range, and nothing misspelt is silently defaulted. README.md in this folder
// is the language's reference.
#pragma once

#include "scenarios/model.h"
#include "scenarios/parse_error.h"

#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace netsim::scenarios {

// `NAME=VALUE` pairs from `--set`: each must name a declared `param`, whose default it replaces
// before any `$NAME` is substituted; an unknown NAME is an error at line 0.
using ParamOverrides = std::vector<std::pair<std::string, std::string>>;

std::variant<Scenario, ParseError> parse_scenario(std::string_view text, std::string file,
                                                  const ParamOverrides& overrides = {});

// Reads `path` and parses it with `path` as the file name; a file that cannot be read is an
// error at line 0.
std::variant<Scenario, ParseError> parse_scenario_file(const std::string& path, const ParamOverrides& overrides = {});

}  // namespace netsim::scenarios
