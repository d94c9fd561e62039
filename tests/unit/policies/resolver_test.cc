// The static resolver: updates and errors published at once and recorded; re-resolution
// re-publishes one event later, coalesced (a static resolver's ResolveNow).
#include "policies/resolver.h"

#include "tests/support/catch.h"

#include <string>
#include <vector>

using namespace netsim;
using namespace netsim::literals;
using policies::StaticResolver;

namespace {

struct Heard final : policies::ResolverObserver {
    Simulation* sim;
    std::vector<std::pair<Instant, std::string>> events;
    explicit Heard(Simulation& s) : sim(&s) {}
    void on_resolved(const std::vector<net::SocketAddress>& a) override {
        events.emplace_back(sim->now(), policies::format_address_list(a));
    }
    void on_resolver_error(const std::string& reason) override { events.emplace_back(sim->now(), "error: " + reason); }
};

net::SocketAddress addr(const char* ip) { return net::SocketAddress{*net::IpAddress::parse(ip), 50051}; }

}  // namespace

TEST_CASE("resolver updates and errors reach every observer at once and are trace records", "[policies][resolver]") {
    Simulation sim(SimulationOptions{});
    sim.trace().retain_records(true);
    StaticResolver resolver(sim, "client/resolver");
    Heard a(sim), b(sim);
    resolver.add_observer(&a);
    resolver.add_observer(&b);
    resolver.update({addr("10.0.0.2"), addr("::1")});
    resolver.fail("dns timeout");
    REQUIRE(a.events == std::vector<std::pair<Instant, std::string>>{
                            {Instant::start(), "10.0.0.2:50051,[::1]:50051"}, {Instant::start(), "error: dns timeout"}});
    REQUIRE(b.events == a.events);
    REQUIRE(resolver.addresses().size() == 2);  // an error keeps the last list
    const auto& records = sim.trace().records();
    REQUIRE(records.size() == 2);
    REQUIRE(records[0].kind == "resolver.update");
    REQUIRE(records[0].source == "client/resolver");
    REQUIRE(records[1].kind == "resolver.error");
    resolver.remove_observer(&b);
    resolver.update({});
    REQUIRE(a.events.back().second.empty());
    REQUIRE(b.events.size() == 2);
}

TEST_CASE("re-resolution re-publishes the current list one event later, once per batch of requests",
          "[policies][resolver]") {
    Simulation sim(SimulationOptions{});
    StaticResolver resolver(sim, "client/resolver");
    Heard heard(sim);
    resolver.add_observer(&heard);
    resolver.update({addr("10.0.0.2")});
    sim.schedule_after(5_s, [&] {
        resolver.request_reresolution();
        resolver.request_reresolution();
        REQUIRE(heard.events.size() == 1);  // not from inside the request
    });
    sim.run();
    REQUIRE(heard.events == std::vector<std::pair<Instant, std::string>>{{Instant::start(), "10.0.0.2:50051"},
                                                                         {Instant::at(5_s), "10.0.0.2:50051"}});
    REQUIRE(resolver.publish_count() == 2);
}
