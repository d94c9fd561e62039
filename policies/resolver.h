// A static name resolver: the address list a scenario gives it, published to its observers (the
// channel, oracles). update() and fail() publish at once; request_reresolution(), which a policy
// calls when its connection is lost, re-publishes the current result one event later (requests
// made before that event are coalesced), as a static resolver answers ResolveNow. Every publish
// is a trace record of source "<channel>/resolver".
#pragma once

#include "sim/core/simulation.h"
#include "sim/net/ip_address.h"

#include <optional>
#include <string>
#include <vector>

namespace netsim::policies {

class ResolverObserver {
public:
    virtual ~ResolverObserver() = default;
    virtual void on_resolved(const std::vector<net::SocketAddress>& addresses) = 0;
    virtual void on_resolver_error(const std::string& reason) = 0;
};

class StaticResolver {
public:
    StaticResolver(Simulation& sim, std::string trace_source);
    StaticResolver(const StaticResolver&) = delete;
    StaticResolver& operator=(const StaticResolver&) = delete;
    ~StaticResolver();

    // Observers are not owned; they must be removed before they go away.
    void add_observer(ResolverObserver* observer);
    void remove_observer(ResolverObserver* observer);

    // A new address list (possibly empty), published now ("resolver.update").
    void update(std::vector<net::SocketAddress> addresses);
    // A resolution error, published now ("resolver.error"); the last list is kept.
    void fail(std::string reason);
    // ResolveNow: the current result (list or error) is published again one event later.
    void request_reresolution();

    const std::vector<net::SocketAddress>& addresses() const { return addresses_; }
    const std::optional<std::string>& error() const { return error_; }
    std::uint64_t publish_count() const { return publishes_; }

private:
    void publish();

    Simulation& sim_;
    std::string source_;
    std::vector<net::SocketAddress> addresses_;
    std::optional<std::string> error_;  // set by fail(), cleared by update()
    std::vector<ResolverObserver*> observers_;
    EventId pending_;
    std::uint64_t publishes_ = 0;
};

// "10.0.0.1:50051,[::1]:50051" (empty for an empty list), as traces print address lists.
std::string format_address_list(const std::vector<net::SocketAddress>& addresses);

}  // namespace netsim::policies
