// Policy names to factories. A factory reads its policy's configuration (key/value strings, as a
// scenario file gives them) and returns either a maker of the policy or an error naming the
// entry at fault, so the scenario parser can report it at file:line:col; nothing here aborts on
// bad input. The built-ins are registered the same way as a user's policy: to add one, write
// `policies/<name>.cc` with a `register_<name>(PolicyRegistry&)` and list it in builtin().
#pragma once

#include "policies/lb_policy.h"

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace netsim::policies {

struct ConfigEntry {
    std::string key;
    std::string value;
};
using PolicyConfig = std::vector<ConfigEntry>;

struct PolicyConfigError {
    std::optional<std::size_t> entry;  // index of the entry at fault; none: the policy name
    std::string message;
};

// Builds the policy for one channel (the configuration is already checked).
using PolicyMaker = std::function<std::unique_ptr<LbPolicy>(ChannelControl&)>;
using PolicyLookup = std::variant<PolicyMaker, PolicyConfigError>;
using PolicyFactory = std::function<PolicyLookup(const PolicyConfig&)>;

class PolicyRegistry {
public:
    // Every built-in policy (pick_first, pick_first_leaf, round_robin, ...). Built once, on first use, then only read.
    static const PolicyRegistry& builtin();

    // Adds a policy; a name may be registered once.
    void add(std::string name, PolicyFactory factory);
    bool contains(std::string_view name) const { return factories_.find(name) != factories_.end(); }
    std::vector<std::string> names() const;
    // The maker for `name` with `config`, or what is wrong with them.
    PolicyLookup lookup(std::string_view name, const PolicyConfig& config) const;

private:
    std::map<std::string, PolicyFactory, std::less<>> factories_;
};

// Registration of the built-ins, one per policy file.
void register_pick_first(PolicyRegistry& registry);
void register_pick_first_leaf(PolicyRegistry& registry);
void register_round_robin(PolicyRegistry& registry);
void register_least_request(PolicyRegistry& registry);
void register_ring_hash(PolicyRegistry& registry);
void register_weighted_round_robin(PolicyRegistry& registry);

// Helpers for factories: value parsers and the usual errors.
std::optional<bool> parse_config_bool(std::string_view text);  // "true" / "false"
PolicyConfigError unknown_config_key(std::string_view policy, std::size_t entry, std::string_view key,
                                     std::string_view known_keys);
PolicyConfigError bad_config_value(std::size_t entry, const ConfigEntry& e, std::string_view expected);

}  // namespace netsim::policies
