#include "scenarios/parse_error.h"

#include <fmt/format.h>

namespace netsim::scenarios {

std::string ParseError::to_string() const {
    if (where.line == 0) return fmt::format("{}: {}", where.file, message);
    return fmt::format("{}:{}:{}: {}", where.file, where.line, where.column, message);
}

}  // namespace netsim::scenarios
