// Command-line arguments shared by `netsim run` and `netsim fuzz`: the scenario (a path, or a
// catalogue name), `--set NAME=VALUE` overrides, and numeric flags, parsed with errors that
// say what was expected. Also finds catalogue scenarios and loads a scenario or prints its
// `file:line:col` error.
#pragma once

#include "scenarios/model.h"
#include "scenarios/parser.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace netsim::cli {

// The catalogue folder: $NETSIM_SCENARIOS, else the source tree's scenarios/ folder.
std::string catalogue_dir();
// SCENARIO as given if it names a file; else the catalogue's SCENARIO.scn or SCENARIO.
std::string resolve_scenario_path(const std::string& given);

std::optional<std::uint64_t> parse_count(const std::string& text);
// "NAME=VALUE"
std::optional<std::pair<std::string, std::string>> parse_set(const std::string& text);

// Parses the file with the overrides; on error prints `file:line:col: message` (or `file: cannot
// read the file`, with why when known, e.g. "(a directory)") and returns none.
std::optional<scenarios::Scenario> load_scenario(const std::string& path, const scenarios::ParamOverrides& sets);

// `word` as one word of a POSIX shell command: as it is when it holds only characters no shell
// treats specially, else in single quotes (an embedded ' written as '\'').
std::string shell_quote(std::string_view word);

// "netsim run PATH --seed N --set A=B ..." (the exact replay command, each word quoted for a
// POSIX shell where it needs it).
std::string replay_command(const std::string& path, std::uint64_t seed, const scenarios::ParamOverrides& sets);

}  // namespace netsim::cli
