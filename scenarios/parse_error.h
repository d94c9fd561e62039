// What is wrong with a scenario file, and where: `file:line:col: message`, the column being the
// 1-based byte column of the offending word. `Parsed<T>` holds either a value or a ParseError, so
// that the parser reports errors as values and never throws.
#pragma once

#include "scenarios/model.h"

#include <string>
#include <utility>
#include <variant>

namespace netsim::scenarios {

struct ParseError {
    SourceLocation where;
    std::string message;

    // "file:line:col: message"; an error about the whole file (line 0: a missing file, an
    // unknown `--set` name) prints as "file: message".
    std::string to_string() const;
};

template <typename T>
class [[nodiscard]] Parsed {
public:
    Parsed(T value) : v_(std::in_place_index<0>, std::move(value)) {}        // NOLINT: implicit by design
    Parsed(ParseError error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT: implicit by design

    bool ok() const { return v_.index() == 0; }
    explicit operator bool() const { return ok(); }
    const T& value() const& { return std::get<0>(v_); }
    T&& value() && { return std::get<0>(std::move(v_)); }
    const ParseError& error() const { return std::get<1>(v_); }

private:
    std::variant<T, ParseError> v_;
};

}  // namespace netsim::scenarios
