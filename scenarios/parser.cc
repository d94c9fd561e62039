#include "scenarios/parser.h"

#include "scenarios/line_lexer.h"
#include "scenarios/statements.h"
#include "scenarios/values.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace netsim::scenarios {

namespace {

constexpr std::string_view statement_keywords =
    "scenario, description, param, host, sysctl, link, server, noise, channel, rpcs, at, after, when, expect or end";

// `param NAME = VALUE` (or `NAME=VALUE`): read before any other statement, so that `$NAME` may
// be used anywhere in the file.
std::optional<ParseError> parse_param(StatementReader& reader, ParseContext& context) {
    constexpr std::string_view usage = "param NAME = VALUE";
    if (reader.at_end()) return reader.error_next(fmt::format("missing the parameter name (usage: {})", usage));
    Word name = reader.take();
    std::optional<Word> value;
    if (const std::size_t equals = name.text.find('='); equals != std::string::npos && !name.quoted) {
        if (equals + 1 < name.text.size()) {
            value = name;
            value->text = name.text.substr(equals + 1);
            value->column = name.column + static_cast<int>(equals) + 1;
        }
        name.text.resize(equals);
    } else if (auto error = reader.keyword("=", usage)) {
        return error;
    }
    if (!is_identifier(name.text))
        return ParseError{reader.where(name), fmt::format("expected a parameter name (a letter or '_', then letters, "
                                                          "digits or '_'), got '{}'",
                                                          name.text)};
    if (!value) {
        if (reader.at_end()) return reader.error_next(fmt::format("missing the parameter's value (usage: {})", usage));
        value = reader.take();
    }
    if (auto error = reader.finish(usage)) return error;
    for (const Parameter& earlier : context.scenario.params)
        if (earlier.name == name.text)
            return ParseError{reader.where(name), fmt::format("duplicate parameter '{}' (first declared at line {})",
                                                              name.text, earlier.where.line)};
    context.scenario.params.push_back(Parameter{name.text, value->text, reader.statement_where()});
    context.params[name.text] = value->text;
    return std::nullopt;
}

std::optional<ParseError> apply_overrides(const ParamOverrides& overrides, ParseContext& context) {
    for (const auto& [name, value] : overrides) {
        auto found = std::find_if(context.scenario.params.begin(), context.scenario.params.end(),
                                  [&](const Parameter& p) { return p.name == name; });
        if (found == context.scenario.params.end()) {
            std::string declared;
            for (const Parameter& p : context.scenario.params) declared += declared.empty() ? p.name : ", " + p.name;
            return ParseError{SourceLocation{context.file, 0, 0},
                              declared.empty() ? fmt::format("unknown parameter '{}' (no parameter is declared)", name)
                                               : fmt::format("unknown parameter '{}' (declared: {})", name, declared)};
        }
        found->value = value;
        context.params[name] = value;
    }
    return std::nullopt;
}

// The statements that say what the scenario is: scenario, description, end.
std::optional<ParseError> parse_heading(const Word& keyword, StatementReader& reader, ParseContext& context,
                                        std::optional<int>& description_line, std::optional<int>& end_line) {
    Scenario& scenario = context.scenario;
    if (keyword.text == "description") {
        constexpr std::string_view usage = "description \"TEXT\"";
        if (description_line)
            return ParseError{reader.statement_where(),
                              fmt::format("a second 'description' line (the first is at line {})", *description_line)};
        auto text = reader.value("the description", usage);
        if (!text) return text.error();
        if (auto error = reader.finish(fmt::format("{} (quote text with spaces)", usage))) return error;
        scenario.description = text.value().text;
        description_line = reader.statement_where().line;
        return std::nullopt;
    }
    constexpr std::string_view usage = "end at DURATION";
    if (end_line)
        return ParseError{reader.statement_where(), fmt::format("a second 'end' line (the first is at line {})", *end_line)};
    if (auto error = reader.keyword("at", usage)) return error;
    auto word = reader.value("the end time", usage);
    if (!word) return word.error();
    auto end = parse_word(reader, word.value(), parse_duration_value);
    if (!end) return end.error();
    if (auto error = reader.finish(usage)) return error;
    scenario.end = end.value();
    end_line = reader.statement_where().line;
    return std::nullopt;
}

std::optional<ParseError> parse_scenario_line(StatementReader& reader, ParseContext& context, bool first) {
    constexpr std::string_view usage = "scenario NAME";
    if (!first)
        return ParseError{reader.statement_where(), "a second 'scenario' line (a file describes one scenario)"};
    auto name = reader.name("scenario", usage);
    if (!name) return name.error();
    if (auto error = reader.finish(usage)) return error;
    context.scenario.name = name.value().text;
    return std::nullopt;
}

class FileParser {
public:
    FileParser(std::vector<Line> lines, ParseContext& context) : lines_(std::move(lines)), context_(context) {}

    std::optional<ParseError> parse(const ParamOverrides& overrides) {
        for (const Line& line : lines_) {
            if (line.words.front().text != "param" || line.words.front().quoted) continue;
            StatementReader reader(line, context_);
            reader.take();
            if (auto error = parse_param(reader, context_)) return error;
        }
        if (auto error = apply_overrides(overrides, context_)) return error;
        if (lines_.empty() || lines_.front().words.front().text != "scenario") {
            const bool anywhere = std::any_of(lines_.begin(), lines_.end(),
                                              [](const Line& l) { return l.words.front().text == "scenario"; });
            if (!anywhere)
                return ParseError{SourceLocation{context_.file, 1, 1}, "missing 'scenario NAME' (the first statement "
                                                                       "of a file names its scenario)"};
            const Line& first = lines_.front();
            return ParseError{SourceLocation{context_.file, first.number, first.words.front().column},
                              "'scenario NAME' must come before any other statement"};
        }
        for (std::size_t i = 0; i < lines_.size(); ++i)
            if (auto error = statement(i)) return error;
        if (auto error = context_.names.check()) return error;
        for (HostSpec& host : context_.scenario.hosts)
            if (auto found = context_.sysctls.find(host.name); found != context_.sysctls.end()) host.sysctls = found->second;
        return std::nullopt;
    }

private:
    // Parses the statement on lines_[i]; a group header also takes its indented lines.
    std::optional<ParseError> statement(std::size_t& i) {
        const Line& line = lines_[i];
        const Word& keyword = line.words.front();
        const std::string& k = keyword.quoted ? quoted_keyword_ : keyword.text;
        if (k == "at" || k == "after" || k == "when") return step(i);
        StatementReader reader(line, context_);
        reader.take();
        if (k == "param") return std::nullopt;  // read first
        if (k == "scenario") return parse_scenario_line(reader, context_, i == 0);
        if (k == "description" || k == "end") return parse_heading(keyword, reader, context_, description_line_, end_line_);
        if (k == "host") return parse_host(reader, context_);
        if (k == "sysctl") return parse_sysctl(reader, context_);
        if (k == "link") return parse_link(reader, context_);
        if (k == "server") return parse_server(reader, context_);
        if (k == "noise") return parse_noise(reader, context_);
        if (k == "channel") return parse_channel(reader, context_);
        if (k == "rpcs") return parse_rpcs(reader, context_);
        if (k == "expect") return parse_expectation(reader, context_);
        return ParseError{reader.statement_where(),
                          fmt::format("unknown statement '{}' (expected {})", keyword.text, statement_keywords)};
    }

    std::optional<ParseError> step(std::size_t& i) {
        const Line header = split_trigger_colon(lines_[i]);
        StatementReader reader(header, context_);
        auto parsed = parse_step(reader, context_);
        if (!parsed) return parsed.error();
        Step step = std::move(parsed).value();
        if (step.unordered) {
            while (i + 1 < lines_.size() && lines_[i + 1].indent > header.indent) {
                const Line& member = lines_[++i];
                StatementReader action_reader(member, context_);
                auto action = parse_action(action_reader, context_);
                if (!action) return action.error();
                step.actions.push_back(std::move(action).value());
            }
            if (step.actions.empty()) {
                const auto in = std::find_if(header.words.begin(), header.words.end(),
                                             [](const Word& w) { return w.text == "in" && !w.quoted; });
                return ParseError{reader.where(*in), "'in any order' needs at least one action on the indented lines "
                                                     "below it"};
            }
        }
        context_.scenario.steps.push_back(std::move(step));
        return std::nullopt;
    }

    const std::string quoted_keyword_ = "\"\"";  // a quoted first word is never a keyword
    std::vector<Line> lines_;
    ParseContext& context_;
    std::optional<int> description_line_;
    std::optional<int> end_line_;
};

}  // namespace

std::variant<Scenario, ParseError> parse_scenario(std::string_view text, std::string file,
                                                  const ParamOverrides& overrides) {
    // A UTF-8 byte-order mark (some editors write one) is not part of the first line.
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
    auto lines = lex_lines(text, file);
    if (!lines) return lines.error();
    Scenario scenario;
    scenario.file = file;
    NameChecks names;
    ParseContext context{file, scenario, names, {}, {}};
    FileParser parser(std::move(lines).value(), context);
    if (auto error = parser.parse(overrides)) return *error;
    return scenario;
}

std::variant<Scenario, ParseError> parse_scenario_file(const std::string& path, const ParamOverrides& overrides) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
        return ParseError{SourceLocation{path, 0, 0}, "cannot read the file (a directory)"};
    std::ifstream in(path, std::ios::binary);
    if (!in) return ParseError{SourceLocation{path, 0, 0}, "cannot read the file"};
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) return ParseError{SourceLocation{path, 0, 0}, "cannot read the file"};
    return parse_scenario(text.str(), path, overrides);
}

}  // namespace netsim::scenarios
