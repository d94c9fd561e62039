// Splits scenario text into lines of words: blank and comment-only lines dropped, `#` starting
// a comment outside "quotes", each word with its 1-based column and each line with its
// indentation. A quoted word keeps its text without the quotes (`\"` and `\\` escape); a quote
// left open is an error at its column, the lexer's only error.
#pragma once

#include "scenarios/parse_error.h"

#include <string>
#include <string_view>
#include <vector>

namespace netsim::scenarios {

struct Word {
    std::string text;  // without quotes
    int column = 0;    // 1-based byte column of the word's first character
    bool quoted = false;
    std::string from_param;  // set when `$name` was replaced by a parameter's text
};

struct Line {
    int number = 0;   // 1-based
    int indent = 0;   // columns before the first word
    std::vector<Word> words;  // at least one
    std::string text;         // the line without its comment, trimmed
};

Parsed<std::vector<Line>> lex_lines(std::string_view text, const std::string& file);

}  // namespace netsim::scenarios
