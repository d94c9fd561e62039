#include "scenarios/line_lexer.h"

#include <fmt/format.h>

namespace netsim::scenarios {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r'; }

// Lexes one line (without its '\n'); `line.words` stays empty for a blank or comment line.
std::optional<ParseError> lex_line(std::string_view text, const std::string& file, Line& line) {
    std::size_t i = 0;
    std::size_t last_end = 0;
    while (i < text.size()) {
        if (is_space(text[i])) {
            ++i;
            continue;
        }
        if (text[i] == '#') break;
        Word word;
        word.column = static_cast<int>(i) + 1;
        while (i < text.size() && !is_space(text[i]) && text[i] != '#') {
            if (text[i] != '"') {
                word.text += text[i++];
                continue;
            }
            const std::size_t open = i++;
            word.quoted = true;
            bool closed = false;
            while (i < text.size()) {
                const char c = text[i++];
                if (c == '"') {
                    closed = true;
                    break;
                }
                if (c == '\\' && i < text.size() && (text[i] == '"' || text[i] == '\\')) {
                    word.text += text[i++];
                    continue;
                }
                word.text += c;
            }
            if (!closed)
                return ParseError{SourceLocation{file, line.number, static_cast<int>(open) + 1},
                                  "unterminated quote (the \" here is never closed)"};
        }
        last_end = i;
        line.words.push_back(std::move(word));
    }
    if (!line.words.empty()) {
        line.indent = line.words.front().column - 1;
        const auto first = static_cast<std::size_t>(line.indent);
        line.text = std::string(text.substr(first, last_end - first));
    }
    return std::nullopt;
}

}  // namespace

Parsed<std::vector<Line>> lex_lines(std::string_view text, const std::string& file) {
    std::vector<Line> lines;
    int number = 0;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        Line line;
        line.number = ++number;
        if (auto error = lex_line(text.substr(start, end - start), file, line)) return *error;
        if (!line.words.empty()) lines.push_back(std::move(line));
        start = end + 1;
    }
    return lines;
}

}  // namespace netsim::scenarios
