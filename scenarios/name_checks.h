// The names a scenario defines (hosts; servers, noise and channels, which share one namespace
// as processes; step labels) and every use of them, checked once all are known so that a name
// may be used before the line that defines it. The parser and the builder feed it the same way;
// after `check()` passes, every use names a definition of the right kind and no `after` chain
// of steps loops back on itself.
#pragma once

#include "scenarios/parse_error.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace netsim::scenarios {

enum class NameKind { host, server, noise, channel, step };

class NameChecks {
public:
    // A second definition of a name in the same namespace is an error at `where`.
    std::optional<ParseError> define(NameKind kind, const std::string& name, const SourceLocation& where);
    // A use of a `kind` name, or of an `also` one (a noise `target=`: a server or a noise).
    void refer(NameKind kind, std::string name, SourceLocation where, std::optional<NameKind> also = std::nullopt);
    // Step `step` is triggered `after` step `after` (`where`: the word naming `after`).
    void follow(std::string step, std::string after, SourceLocation where);

    // The first use (in the order given) of an undefined name or of a name of another kind, then
    // the first `after` cycle.
    std::optional<ParseError> check() const;

private:
    struct Definition {
        NameKind kind = NameKind::host;
        SourceLocation where;
    };
    struct Use {
        NameKind kind = NameKind::host;
        std::string name;
        SourceLocation where;
        std::optional<NameKind> also;
    };
    struct Edge {
        std::string step, after;
        SourceLocation where;
    };

    std::map<std::string, Definition>& names_of(NameKind kind);
    const std::map<std::string, Definition>& names_of(NameKind kind) const;
    std::optional<ParseError> check_cycles() const;

    std::map<std::string, Definition> hosts_, processes_, steps_;
    std::vector<Use> uses_;
    std::vector<Edge> edges_;
};

std::string_view name_kind_word(NameKind kind);

}  // namespace netsim::scenarios
