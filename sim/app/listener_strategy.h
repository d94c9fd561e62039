// How a server holds its port across stop and restart: each strategy is the behaviour of a real
// mitigation (or of none), so scenarios can compare them on the same race.
//   plain         no SO_REUSEADDR; a restart binds again.
//   reuseaddr     SO_REUSEADDR, as Go's net.Listen sets on Linux and gRPC C-core's tests use.
//   restartable   grpc-go's test listener (internal/testutils): stop closes the accepted
//                 connections but keeps the listening socket; while stopped, new connections
//                 are accepted and closed at once; the port is never released.
//   reuseport     gRPC C-core: a dual-stack IPv6 socket (IPV6_V6ONLY off) bound to the
//                 v4-mapped address, with SO_REUSEADDR and SO_REUSEPORT.
//   wait_release  plain, but a restart retries bind every `retry` until `timeout`.
//   random_port   reuseaddr on port 0: a restart takes a new port and publishes it.
#pragma once

#include <optional>
#include <string_view>

namespace netsim::app {

enum class ListenerStrategy { plain, reuseaddr, restartable, reuseport, wait_release, random_port };

std::string_view listener_strategy_name(ListenerStrategy strategy);
std::optional<ListenerStrategy> parse_listener_strategy(std::string_view name);
// "plain, reuseaddr, ..." for error messages.
std::string_view listener_strategy_names();

}  // namespace netsim::app
