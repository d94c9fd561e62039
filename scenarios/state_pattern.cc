#include "scenarios/state_pattern.h"

#include "scenarios/values.h"

#include <fmt/format.h>

namespace netsim::scenarios {

namespace {

// Recursive descent over: alternatives := sequence ('|' sequence)*; sequence := item+;
// item := (STATE | '(' alternatives ')') ('*' | '+' | '?')?
bool is_operator(char c) { return std::string_view("()*+?|").find(c) != std::string_view::npos; }

class PatternChecker {
public:
    explicit PatternChecker(std::string_view text) : text_(text) {}

    std::optional<PatternProblem> check() {
        if (auto problem = alternatives()) return problem;
        skip_spaces();
        if (pos_ < text_.size()) return PatternProblem{pos_, fmt::format("unexpected '{}' in the pattern", text_[pos_])};
        return std::nullopt;
    }

private:
    void skip_spaces() {
        while (pos_ < text_.size() && text_[pos_] == ' ') ++pos_;
    }

    bool at(char c) {
        skip_spaces();
        return pos_ < text_.size() && text_[pos_] == c;
    }

    std::optional<PatternProblem> alternatives() {
        if (auto problem = sequence()) return problem;
        while (at('|')) {
            ++pos_;
            if (auto problem = sequence()) return problem;
        }
        return std::nullopt;
    }

    std::optional<PatternProblem> sequence() {
        skip_spaces();
        if (pos_ >= text_.size() || text_[pos_] == '|' || text_[pos_] == ')')
            return PatternProblem{pos_, "expected a state name or '(' in the pattern"};
        while (pos_ < text_.size() && text_[pos_] != '|' && text_[pos_] != ')') {
            if (auto problem = item()) return problem;
            skip_spaces();
        }
        return std::nullopt;
    }

    std::optional<PatternProblem> item() {
        if (text_[pos_] == '(') {
            const std::size_t open = pos_++;
            if (auto problem = alternatives()) return problem;
            if (!at(')')) return PatternProblem{open, "this '(' is never closed"};
            ++pos_;
        } else {
            const std::size_t start = pos_;
            while (pos_ < text_.size() && text_[pos_] != ' ' && !is_operator(text_[pos_]))
                ++pos_;
            if (pos_ == start) return PatternProblem{pos_, fmt::format("'{}' must follow a state or a group", text_[pos_])};
            auto state = parse_state_name(text_.substr(start, pos_ - start), SourceLocation{});
            if (!state) return PatternProblem{start, state.error().message};
        }
        if (at('*') || at('+') || at('?')) ++pos_;
        return std::nullopt;
    }

    std::string_view text_;
    std::size_t pos_ = 0;
};

}  // namespace

std::optional<PatternProblem> check_state_pattern(std::string_view pattern) { return PatternChecker(pattern).check(); }

}  // namespace netsim::scenarios
