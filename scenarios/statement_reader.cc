#include "scenarios/statement_reader.h"

#include "scenarios/values.h"

#include <algorithm>

namespace netsim::scenarios {

StatementReader::StatementReader(const Line& line, const ParseContext& context) : line_(line), context_(context) {}

bool StatementReader::next_is(std::string_view word) const {
    return !at_end() && !peek().quoted && peek().text == word;
}

SourceLocation StatementReader::where(const Word& word) const {
    return SourceLocation{context_.file, line_.number, word.column};
}

SourceLocation StatementReader::where_next() const {
    if (!at_end()) return where(peek());
    const Word& last = line_.words.back();
    // Just past the last word (its text may be shorter than the source when quoted).
    const int width = static_cast<int>(last.text.size()) + (last.quoted ? 2 : 0);
    return SourceLocation{context_.file, line_.number, last.column + width};
}

SourceLocation StatementReader::statement_where() const { return where(line_.words.front()); }

ParseError StatementReader::error_next(std::string message) const { return ParseError{where_next(), std::move(message)}; }

std::optional<ParseError> StatementReader::keyword(std::string_view keyword, std::string_view usage) {
    if (next_is(keyword)) {
        ++next_;
        return std::nullopt;
    }
    if (at_end()) return error_next(fmt::format("missing '{}' (usage: {})", keyword, usage));
    return error_next(fmt::format("expected '{}', got '{}' (usage: {})", keyword, peek().text, usage));
}

Parsed<Word> StatementReader::name(std::string_view what, std::string_view usage) {
    if (at_end()) return error_next(fmt::format("missing the {} name (usage: {})", what, usage));
    if (!is_identifier(peek().text) || peek().quoted)
        return error_next(fmt::format("expected a {} name (a letter or '_', then letters, digits or '_'), got '{}'",
                                      what, peek().text));
    return take();
}

Parsed<Word> StatementReader::label(std::string_view usage) {
    if (at_end()) return error_next(fmt::format("missing the step label (usage: {})", usage));
    if (!is_step_label(peek().text) || peek().quoted)
        return error_next(fmt::format("expected a step label (a letter or '_', then letters, digits or '_'; or "
                                      "step@LINE), got '{}'",
                                      peek().text));
    return take();
}

Parsed<Word> StatementReader::value(std::string_view what, std::string_view usage) {
    if (at_end()) return error_next(fmt::format("missing {} (usage: {})", what, usage));
    return substitute(take());
}

Parsed<Word> StatementReader::substitute(Word word) const {
    if (word.quoted || !word.text.starts_with('$')) return word;
    const std::string name = word.text.substr(1);
    const auto found = context_.params.find(name);
    if (found == context_.params.end()) {
        std::string declared;
        for (const auto& [param, text] : context_.params) declared += declared.empty() ? param : ", " + param;
        return ParseError{where(word), declared.empty()
                                           ? fmt::format("undefined parameter '{}' (no parameter is declared)", name)
                                           : fmt::format("undefined parameter '{}' (declared: {})", name, declared)};
    }
    word.text = found->second;
    word.from_param = name;
    return word;
}

Parsed<std::vector<Word>> split_list(const Word& word, const SourceLocation& where, std::string_view what) {
    std::vector<Word> items;
    std::size_t start = 0;
    for (;;) {
        const std::size_t comma = word.text.find(',', start);
        const std::size_t end = comma == std::string::npos ? word.text.size() : comma;
        Word item = word;
        item.text = word.text.substr(start, end - start);
        // A parameter's text has no columns of its own: its items point at the `$name`.
        if (word.from_param.empty()) item.column = word.column + static_cast<int>(start) + (word.quoted ? 1 : 0);
        const bool last = comma == std::string::npos;
        // A trailing comma joins this word to the next one (`A, B`).
        if (item.text.empty() && !(last && start > 0)) {
            SourceLocation at = where;
            at.column = item.column;
            return ParseError{at, fmt::format("empty item in the list of {}", what)};
        }
        if (!item.text.empty()) items.push_back(std::move(item));
        if (last) break;
        start = comma + 1;
    }
    return items;
}

Parsed<std::vector<Word>> StatementReader::list(std::string_view what, std::initializer_list<std::string_view> stop) {
    std::vector<Word> items;
    while (!at_end()) {
        if (!peek().quoted && std::find(stop.begin(), stop.end(), std::string_view(peek().text)) != stop.end()) break;
        auto word = substitute(take());
        if (!word) return word.error();
        auto parts = split_list(word.value(), where(word.value()), what);
        if (!parts) return parts.error();
        for (Word& part : std::move(parts).value()) items.push_back(std::move(part));
    }
    return items;
}

Parsed<std::vector<Option>> StatementReader::options(const std::vector<OptionKey>& keys, std::string_view statement,
                                                     bool others_allowed) {
    std::vector<Option> result;
    auto accepted = [&] {
        std::string text;
        for (const OptionKey& key : keys) {
            if (!text.empty()) text += ", ";
            text += key.flag ? std::string(key.name) : fmt::format("{}=", key.name);
        }
        return text;
    };
    while (!at_end()) {
        const Word& word = take();
        const SourceLocation at = where(word);
        const std::size_t equals = word.quoted ? std::string::npos : word.text.find('=');
        Option option{word.text.substr(0, equals), std::nullopt, at};
        if (equals != std::string::npos) {
            Word value = word;
            value.text = word.text.substr(equals + 1);
            value.column = word.column + static_cast<int>(equals) + 1;
            if (value.text.empty()) return ParseError{at, fmt::format("'{}=' needs a value", option.key)};
            auto substituted = substitute(std::move(value));
            if (!substituted) return substituted.error();
            option.value = std::move(substituted).value();
        }
        const OptionKey* key = nullptr;
        for (const OptionKey& k : keys)
            if (k.name == option.key) key = &k;
        if (key == nullptr && !(others_allowed && option.value))
            return ParseError{at, fmt::format("unknown {} '{}' for {} (expected {}{})", option.value ? "key" : "word",
                                              option.key, statement, accepted(),
                                              others_allowed ? ", or KEY=VALUE policy config" : "")};
        if (key != nullptr && key->flag && option.value) {
            auto on = parse_word(*this, *option.value, parse_bool);
            if (!on) return on.error();
            option.on = on.value();
        }
        if (key != nullptr && !key->flag && !option.value)
            return ParseError{at, fmt::format("'{}' needs a value ({}=...)", option.key, option.key)};
        for (const Option& earlier : result)
            if (earlier.key == option.key) return ParseError{at, fmt::format("'{}' given twice", option.key)};
        result.push_back(std::move(option));
    }
    return result;
}

std::optional<ParseError> StatementReader::finish(std::string_view usage) const {
    if (at_end()) return std::nullopt;
    return error_next(fmt::format("unexpected '{}' after the statement (usage: {})", peek().text, usage));
}

}  // namespace netsim::scenarios
