// Shared argument handling for the scenario commands (see scenario_args.h).
#include "tools/netsim/scenario_args.h"

#include <fmt/core.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <filesystem>

#ifndef NETSIM_SCENARIO_DIR
#define NETSIM_SCENARIO_DIR "scenarios"
#endif

namespace netsim::cli {

std::string catalogue_dir() {
    if (const char* dir = std::getenv("NETSIM_SCENARIOS"); dir != nullptr && *dir != '\0') return dir;
    return NETSIM_SCENARIO_DIR;
}

std::string resolve_scenario_path(const std::string& given) {
    namespace fs = std::filesystem;
    if (fs::is_regular_file(given)) return given;
    for (const std::string& candidate : {catalogue_dir() + "/" + given + ".scn", catalogue_dir() + "/" + given})
        if (fs::is_regular_file(candidate)) return candidate;
    return given;  // the parser reports that it cannot be read
}

std::optional<std::uint64_t> parse_count(const std::string& text) {
    std::uint64_t value = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || p != text.data() + text.size()) return std::nullopt;
    return value;
}

std::optional<std::pair<std::string, std::string>> parse_set(const std::string& text) {
    const auto eq = text.find('=');
    if (eq == std::string::npos || eq == 0) return std::nullopt;
    return std::pair{text.substr(0, eq), text.substr(eq + 1)};
}

std::optional<scenarios::Scenario> load_scenario(const std::string& path, const scenarios::ParamOverrides& sets) {
    auto parsed = scenarios::parse_scenario_file(path, sets);
    if (const auto* error = std::get_if<scenarios::ParseError>(&parsed)) {
        fmt::print(stderr, "{}\n", error->to_string());
        return std::nullopt;
    }
    return std::get<scenarios::Scenario>(std::move(parsed));
}

std::string shell_quote(std::string_view word) {
    auto plain = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               std::string_view("_@%+=:,./-").find(c) != std::string_view::npos;
    };
    if (!word.empty() && std::all_of(word.begin(), word.end(), plain)) return std::string(word);
    std::string quoted = "'";
    for (const char c : word) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return quoted + "'";
}

std::string replay_command(const std::string& path, std::uint64_t seed, const scenarios::ParamOverrides& sets) {
    std::string command = fmt::format("netsim run {} --seed {}", shell_quote(path), seed);
    for (const auto& [name, value] : sets) command += " --set " + shell_quote(name + "=" + value);
    return command;
}

}  // namespace netsim::cli
