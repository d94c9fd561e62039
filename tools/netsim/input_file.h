// Reading an input file (a scenario, a socket-operation script) whole, telling a file that
// could not be read from an empty one: a directory, a path that cannot be opened and a read
// that fails are all errors, never an empty text.
#pragma once

#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <system_error>

namespace netsim::cli {

// The contents of `path`, or none with `why` set to what went wrong: "a directory", or "" when
// there is nothing more precise to say than that it cannot be read.
inline std::optional<std::string> read_input_file(const std::string& path, std::string& why) {
    why.clear();
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
        why = "a directory";
        return std::nullopt;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::string text;
    char buffer[1 << 16];
    while (in.read(buffer, sizeof buffer) || in.gcount() > 0)
        text.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (in.bad()) return std::nullopt;
    return text;
}

// "PATH: cannot read the WHAT", with the reason in parentheses when there is one.
inline std::string cannot_read_message(const std::string& path, const char* what, const std::string& why) {
    std::string message = path + ": cannot read the " + what;
    if (!why.empty()) message += " (" + why + ")";
    return message;
}

}  // namespace netsim::cli
