// Which trace records explain a violation (see excerpt_filter.h).
#include "scenarios/excerpt_filter.h"

#include <cctype>

namespace netsim::scenarios {

// The scenario names (servers, channels, steps, noise) that the violation's text mentions.
std::set<std::string> mentioned_names(const Scenario& scenario, const Violation& v) {
    std::set<std::string> names;
    const std::string text = v.expectation + " " + v.what;
    auto consider = [&](const std::string& name) {
        for (std::size_t at = text.find(name); at != std::string::npos; at = text.find(name, at + 1)) {
            const bool left = at == 0 || !std::isalnum(static_cast<unsigned char>(text[at - 1]));
            const std::size_t end = at + name.size();
            const bool right = end == text.size() || !std::isalnum(static_cast<unsigned char>(text[end]));
            if (left && right) names.insert(name);
        }
    };
    for (const auto& s : scenario.servers) consider(s.name);
    for (const auto& c : scenario.channels) consider(c.name);
    for (const auto& n : scenario.noise) consider(n.name);
    return names;
}

bool about(const TraceRecord& r, const std::set<std::string>& names) {
    for (const std::string& name : names) {
        if (r.source == name || r.source.starts_with(name + "/") || r.source.starts_with(name + "#")) return true;
        for (const TraceField& f : r.fields)
            if (const auto* s = std::get_if<std::string>(&f.value); s && *s == name) return true;
    }
    return r.source == "timeline";
}


}  // namespace netsim::scenarios
