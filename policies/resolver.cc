// The static resolver's publishing, with its trace records.
#include "policies/resolver.h"

#include <algorithm>

namespace netsim::policies {

std::string format_address_list(const std::vector<net::SocketAddress>& addresses) {
    std::string out;
    for (const auto& a : addresses) {
        if (!out.empty()) out += ',';
        out += a.to_string();
    }
    return out;
}

StaticResolver::StaticResolver(Simulation& sim, std::string trace_source)
    : sim_(sim), source_(std::move(trace_source)) {}

StaticResolver::~StaticResolver() { sim_.cancel(pending_); }

void StaticResolver::add_observer(ResolverObserver* observer) { observers_.push_back(observer); }

void StaticResolver::remove_observer(ResolverObserver* observer) { std::erase(observers_, observer); }

void StaticResolver::update(std::vector<net::SocketAddress> addresses) {
    addresses_ = std::move(addresses);
    error_.reset();
    publish();
}

void StaticResolver::fail(std::string reason) {
    error_ = std::move(reason);
    publish();
}

void StaticResolver::request_reresolution() {
    sim_.record(source_, "resolver.reresolve", {{"pending", std::int64_t{sim_.is_pending(pending_) ? 1 : 0}}});
    if (sim_.is_pending(pending_)) return;
    pending_ = sim_.schedule_after(Duration::zero(), [this] { publish(); });
}

void StaticResolver::publish() {
    sim_.cancel(pending_);  // an explicit update answers a pending re-resolution too
    ++publishes_;
    if (error_) {
        sim_.record(source_, "resolver.error", {{"reason", *error_}});
    } else {
        sim_.record(source_, "resolver.update",
                    {{"addresses", format_address_list(addresses_)},
                     {"count", static_cast<std::int64_t>(addresses_.size())}});
    }
    // An observer may add or remove observers, or publish again, while being told: walk copies.
    const std::vector<ResolverObserver*> observers = observers_;
    const std::optional<std::string> error = error_;
    const std::vector<net::SocketAddress> addresses = addresses_;
    for (ResolverObserver* o : observers) {
        if (std::find(observers_.begin(), observers_.end(), o) == observers_.end()) continue;
        if (error)
            o->on_resolver_error(*error);
        else
            o->on_resolved(addresses);
    }
}

}  // namespace netsim::policies
