// What the project's text formats accept as a name (socket names in syscall scripts, servers,
// hosts and parameters in scenarios): a letter or '_', then letters, digits or '_' (ASCII).
#pragma once

#include <string_view>

namespace netsim {

constexpr bool is_identifier(std::string_view text) {
    auto letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; };
    auto digit = [](char c) { return c >= '0' && c <= '9'; };
    if (text.empty() || !letter(text.front())) return false;
    for (char c : text)
        if (!letter(c) && !digit(c)) return false;
    return true;
}

}  // namespace netsim
