// The registry of policy names and the built-in list.
#include "policies/policy_registry.h"

#include "sim/core/check.h"

#include <fmt/format.h>

namespace netsim::policies {

const PolicyRegistry& PolicyRegistry::builtin() {
    static const PolicyRegistry registry = [] {
        PolicyRegistry r;
        register_pick_first(r);
        register_pick_first_leaf(r);
        register_round_robin(r);
        register_least_request(r);
        register_ring_hash(r);
        register_weighted_round_robin(r);
        return r;
    }();
    return registry;
}

void PolicyRegistry::add(std::string name, PolicyFactory factory) {
    NETSIM_CHECK_MSG(!contains(name), "policy '{}' registered twice", name);
    factories_.emplace(std::move(name), std::move(factory));
}

std::vector<std::string> PolicyRegistry::names() const {
    std::vector<std::string> out;
    for (const auto& [name, factory] : factories_) out.push_back(name);
    return out;
}

PolicyLookup PolicyRegistry::lookup(std::string_view name, const PolicyConfig& config) const {
    auto it = factories_.find(name);
    if (it == factories_.end()) {
        return PolicyConfigError{std::nullopt, fmt::format("unknown policy '{}' (known: {})", name,
                                                           fmt::join(names(), ", "))};
    }
    return it->second(config);
}

std::optional<bool> parse_config_bool(std::string_view text) {
    if (text == "true") return true;
    if (text == "false") return false;
    return std::nullopt;
}

PolicyConfigError unknown_config_key(std::string_view policy, std::size_t entry, std::string_view key,
                                     std::string_view known_keys) {
    return PolicyConfigError{entry, fmt::format("{} has no option '{}' (options: {})", policy, key, known_keys)};
}

PolicyConfigError bad_config_value(std::size_t entry, const ConfigEntry& e, std::string_view expected) {
    return PolicyConfigError{entry, fmt::format("{}: expected {}, got '{}'", e.key, expected, e.value)};
}

}  // namespace netsim::policies
