// Names of the listener strategies.
#include "sim/app/listener_strategy.h"

#include <array>
#include <utility>

namespace netsim::app {

namespace {
constexpr std::array<std::pair<ListenerStrategy, std::string_view>, 6> names{{
    {ListenerStrategy::plain, "plain"},
    {ListenerStrategy::reuseaddr, "reuseaddr"},
    {ListenerStrategy::restartable, "restartable"},
    {ListenerStrategy::reuseport, "reuseport"},
    {ListenerStrategy::wait_release, "wait_release"},
    {ListenerStrategy::random_port, "random_port"},
}};
}  // namespace

std::string_view listener_strategy_name(ListenerStrategy strategy) {
    for (const auto& [s, name] : names)
        if (s == strategy) return name;
    return "?";
}

std::optional<ListenerStrategy> parse_listener_strategy(std::string_view name) {
    for (const auto& [s, n] : names)
        if (n == name) return s;
    return std::nullopt;
}

std::string_view listener_strategy_names() {
    return "plain, reuseaddr, restartable, reuseport, wait_release, random_port";
}

}  // namespace netsim::app
