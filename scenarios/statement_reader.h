// The statement parsers' view of one line: a cursor over its words that reads keywords, names,
// values (with `$name` replaced by the parameter's text, keeping the `$name` column), lists
// and `key=value` options, each failure an error value at the offending word's column. It also
// holds what the statements of one file share while they are parsed (`ParseContext`).
#pragma once

#include "scenarios/line_lexer.h"
#include "scenarios/name_checks.h"
#include "scenarios/parse_error.h"

#include <fmt/format.h>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace netsim::scenarios {

// One file's parse in progress: the scenario being filled, the parameters and the names.
struct ParseContext {
    std::string file;
    Scenario& scenario;
    NameChecks& names;
    std::map<std::string, std::string> params;  // name -> text after `--set`
    std::map<std::string, SysctlSpec> sysctls;  // by host, merged into the hosts at the end
};

// `key=value` (value present) or a bare flag word.
struct Option {
    std::string key;
    std::optional<Word> value;  // after `$name` replacement; column of the value's first character
    SourceLocation where;       // the key
    bool on = true;             // a flag: bare, `flag=true` or `flag=false`
};

// An option a statement accepts: `flag` ones are bare words (or `flag=true|false`), the others
// `key=value`.
struct OptionKey {
    std::string_view name;
    bool flag = false;
};

class StatementReader {
public:
    StatementReader(const Line& line, const ParseContext& context);

    bool at_end() const { return next_ >= line_.words.size(); }
    const Word& peek() const { return line_.words[next_]; }
    bool next_is(std::string_view word) const;
    const Word& take() { return line_.words[next_++]; }

    SourceLocation where(const Word& word) const;
    SourceLocation where_next() const;  // the next word, or just past the line's last word
    SourceLocation statement_where() const;
    ParseError error_next(std::string message) const;

    // The exact word `keyword` next; `usage` is the statement's synopsis for the message.
    std::optional<ParseError> keyword(std::string_view keyword, std::string_view usage);
    // An identifier naming a `what` ("server", "host").
    Parsed<Word> name(std::string_view what, std::string_view usage);
    // A step label: an identifier, or `step@LINE` as the parser labels an unlabelled step.
    Parsed<Word> label(std::string_view usage);
    // Any word, `$name` replaced.
    Parsed<Word> value(std::string_view what, std::string_view usage);
    // Every remaining word up to the first unquoted `stop` word, `$name` replaced, split at
    // commas: `a,b`, `A, B, C` or `a b`.
    Parsed<std::vector<Word>> list(std::string_view what, std::initializer_list<std::string_view> stop = {});
    // The remaining words as options; with `others_allowed` an unknown `key=value` is returned
    // too (a channel's policy config), otherwise it is an error naming the accepted keys.
    Parsed<std::vector<Option>> options(const std::vector<OptionKey>& keys, std::string_view statement,
                                        bool others_allowed = false);
    // No words may be left.
    std::optional<ParseError> finish(std::string_view usage) const;

    // `$name` replaced by the parameter's text (the column kept), or an undefined-parameter error.
    Parsed<Word> substitute(Word word) const;

private:
    const Line& line_;
    const ParseContext& context_;
    std::size_t next_ = 0;
};

// Splits one word at commas into items with their own columns.
Parsed<std::vector<Word>> split_list(const Word& word, const SourceLocation& where, std::string_view what);

// Parses `word` with a values.h parser; an error on a parameter's text says which parameter.
template <typename Parse>
auto parse_word(const StatementReader& reader, const Word& word, Parse parse)
    -> decltype(parse(std::string_view{}, SourceLocation{})) {
    auto result = parse(std::string_view(word.text), reader.where(word));
    if (result || word.from_param.empty()) return result;
    ParseError error = result.error();
    error.message += fmt::format(" (the value of ${})", word.from_param);
    return error;
}

}  // namespace netsim::scenarios
