// State patterns become regular expressions over one letter per state (see state_match.h).
#include "scenarios/state_match.h"

#include <cctype>
#include <regex>
#include <string>

namespace netsim::scenarios {

namespace {

char letter_of(std::string_view state) {
    if (state == "IDLE") return 'I';
    if (state == "CONNECTING") return 'C';
    if (state == "READY") return 'R';
    if (state == "TRANSIENT_FAILURE") return 'T';
    if (state == "SHUTDOWN") return 'S';
    return 'X';  // matches nothing a pattern can name
}

}  // namespace

bool state_sequence_matches(std::string_view pattern, const std::vector<std::string_view>& states) {
    std::string regex;
    std::size_t i = 0;
    while (i < pattern.size()) {
        const char c = pattern[i];
        if (c == '(' || c == ')' || c == '*' || c == '+' || c == '?' || c == '|') {
            regex += c;
            ++i;
        } else if (c == ' ') {
            ++i;
        } else {
            std::size_t j = i;
            while (j < pattern.size() && (std::isupper(static_cast<unsigned char>(pattern[j])) || pattern[j] == '_')) ++j;
            if (j == i) return false;  // not a well-formed pattern
            regex += letter_of(pattern.substr(i, j - i));
            i = j;
        }
    }
    std::string sequence;
    for (std::string_view s : states) sequence += letter_of(s);
    return std::regex_match(sequence, std::regex(regex));
}

}  // namespace netsim::scenarios
