#include "scenarios/name_checks.h"

#include <fmt/format.h>

namespace netsim::scenarios {

namespace {

std::string_view article(NameKind kind) { return kind == NameKind::noise ? "" : "a "; }

}  // namespace

std::string_view name_kind_word(NameKind kind) {
    switch (kind) {
        case NameKind::host: return "host";
        case NameKind::server: return "server";
        case NameKind::noise: return "noise";
        case NameKind::channel: return "channel";
        case NameKind::step: return "step";
    }
    return "?";
}

std::map<std::string, NameChecks::Definition>& NameChecks::names_of(NameKind kind) {
    if (kind == NameKind::host) return hosts_;
    if (kind == NameKind::step) return steps_;
    return processes_;
}

const std::map<std::string, NameChecks::Definition>& NameChecks::names_of(NameKind kind) const {
    if (kind == NameKind::host) return hosts_;
    if (kind == NameKind::step) return steps_;
    return processes_;
}

std::optional<ParseError> NameChecks::define(NameKind kind, const std::string& name, const SourceLocation& where) {
    auto& names = names_of(kind);
    const auto found = names.find(name);
    if (found == names.end()) {
        names.emplace(name, Definition{kind, where});
        return std::nullopt;
    }
    const Definition& first = found->second;
    const std::string line = first.where.line > 0 ? fmt::format(" at line {}", first.where.line) : "";
    return ParseError{where, fmt::format("duplicate name '{}': already defined as {}{}{}", name, article(first.kind),
                                         name_kind_word(first.kind), line)};
}

void NameChecks::refer(NameKind kind, std::string name, SourceLocation where, std::optional<NameKind> also) {
    uses_.push_back(Use{kind, std::move(name), std::move(where), also});
}

void NameChecks::follow(std::string step, std::string after, SourceLocation where) {
    edges_.push_back(Edge{std::move(step), std::move(after), std::move(where)});
}

std::optional<ParseError> NameChecks::check() const {
    for (const Use& use : uses_) {
        const auto& names = names_of(use.kind);
        const auto found = names.find(use.name);
        auto wanted = [&](NameKind kind) { return kind == use.kind || (use.also && kind == *use.also); };
        if (found != names.end() && wanted(found->second.kind)) continue;
        const std::string word = use.also ? fmt::format("{} or {}", name_kind_word(use.kind), name_kind_word(*use.also))
                                          : std::string(name_kind_word(use.kind));
        if (found != names.end())
            return ParseError{use.where, fmt::format("'{}' is {}{}, not {}{}", use.name, article(found->second.kind),
                                                     name_kind_word(found->second.kind), article(use.kind), word)};
        std::string defined;
        for (const auto& [name, definition] : names) {
            if (!wanted(definition.kind)) continue;
            defined += defined.empty() ? name : ", " + name;
        }
        return ParseError{use.where, defined.empty()
                                         ? fmt::format("undefined {} '{}' (no {} is defined)", word, use.name, word)
                                         : fmt::format("undefined {} '{}' (defined: {})", word, use.name, defined)};
    }
    return check_cycles();
}

std::optional<ParseError> NameChecks::check_cycles() const {
    std::map<std::string, std::string> after_of;
    for (const Edge& edge : edges_) after_of.emplace(edge.step, edge.after);
    for (const Edge& edge : edges_) {
        std::string chain = edge.step;
        std::string current = edge.after;
        for (std::size_t hops = 0; hops <= after_of.size(); ++hops) {
            chain += " after " + current;
            if (current == edge.step)
                return ParseError{edge.where, fmt::format("'after' cycle: {}", chain)};
            const auto next = after_of.find(current);
            if (next == after_of.end()) break;
            current = next->second;
        }
    }
    return std::nullopt;
}

}  // namespace netsim::scenarios
