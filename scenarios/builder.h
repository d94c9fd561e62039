// A fluent C++ builder for scenarios in Catch2 tests, mirroring the language one statement to
// one call with the same words: `b.server("a").on("machine").at("127.0.0.1:0").started()` is
// `server a on machine at 127.0.0.1:0 started`. `build()` checks what the parser checks (names
// defined and of the right kind, no `after` cycle, required parts present) and throws
// std::invalid_argument with the parser's message otherwise; a malformed value (an address, a
// window that ends before it starts) throws at the call that gives it.
//
// The handles that `server()`, `at()`, ... return point into the builder: use them before the
// next statement, and keep the builder alive while they are in use.
#pragma once

#include "scenarios/model.h"

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace netsim::scenarios {

class ScenarioBuilder;

// `host NAME [ADDRESS...]`
class HostBuilder {
public:
    HostBuilder& address(std::string_view ip);
    HostBuilder& addresses(std::initializer_list<std::string_view> ips);

private:
    friend class ScenarioBuilder;
    HostBuilder(ScenarioBuilder& b, std::size_t i) : b_(&b), i_(i) {}
    HostSpec& spec();
    ScenarioBuilder* b_;
    std::size_t i_;
};

// `sysctl HOST KEY = VALUE`, one call per key.
class SysctlBuilder {
public:
    SysctlBuilder& ip_local_port_range(net::Port low, net::Port high);
    SysctlBuilder& tcp_tw_reuse(int mode);
    SysctlBuilder& time_wait(Duration d);
    SysctlBuilder& tcp_fin_timeout(Duration d);

private:
    friend class ScenarioBuilder;
    SysctlBuilder(ScenarioBuilder& b, std::size_t i) : b_(&b), i_(i) {}
    SysctlSpec& spec();
    ScenarioBuilder* b_;
    std::size_t i_;
};

// `link HOST HOST [latency=D] [jitter=D] [loss=N/D]`
class LinkBuilder {
public:
    LinkBuilder& latency(Duration d);
    LinkBuilder& jitter(Duration d);
    LinkBuilder& loss(std::uint32_t numerator, std::uint32_t denominator);  // `loss=1/100`; `loss=1%` is (1, 100)

private:
    friend class ScenarioBuilder;
    LinkBuilder(ScenarioBuilder& b, std::size_t i) : b_(&b), i_(i) {}
    LinkBetween& spec();
    ScenarioBuilder* b_;
    std::size_t i_;
};

// `server NAME on HOST at ADDR [listener=S] [service_time=W] [backlog=N] [retry=D] [timeout=D] [started]`
class ServerBuilder {
public:
    ServerBuilder& on(std::string host);
    ServerBuilder& at(std::string_view address);  // "127.0.0.1:0", "[::1]:50051"
    ServerBuilder& listener(ListenerStrategy strategy);
    ServerBuilder& service_time(Duration d);
    ServerBuilder& service_time(Duration low, Duration high);
    ServerBuilder& backlog(int n);
    ServerBuilder& retry(Duration d);
    ServerBuilder& load(std::uint32_t cpu_percent, std::uint32_t qps = 100, std::uint32_t eps = 0);  // `load_cpu= load_qps= load_eps=`
    ServerBuilder& timeout(Duration d);
    ServerBuilder& started(bool on = true);

private:
    friend class ScenarioBuilder;
    ServerBuilder(ScenarioBuilder& b, std::size_t i) : b_(&b), i_(i) {}
    ServerSpec& spec();
    ScenarioBuilder* b_;
    std::size_t i_;
};

// `noise NAME KIND on HOST rate=R [processes=N] [hold=W] [reuseaddr] [reuseport] [at=IP] [target=T] [port=P]`
class NoiseBuilder {
public:
    NoiseBuilder& on(std::string host);
    NoiseBuilder& processes(int n);
    NoiseBuilder& rate(std::uint64_t events, Duration per);  // `rate=200/s` is (200, 1s)
    NoiseBuilder& hold(Duration d);
    NoiseBuilder& hold(Duration low, Duration high);
    NoiseBuilder& from(Duration d);   // `from=`
    NoiseBuilder& until(Duration d);  // `until=`
    NoiseBuilder& reuseaddr(bool on = true);
    NoiseBuilder& reuseport(bool on = true);
    NoiseBuilder& at(std::string_view ip);       // listeners, holders
    NoiseBuilder& target(std::string_view text); // connects: a server, a listeners noise or "ADDR:PORT"
    NoiseBuilder& port(net::Port p);             // holders

private:
    friend class ScenarioBuilder;
    NoiseBuilder(ScenarioBuilder& b, std::size_t i) : b_(&b), i_(i) {}
    NoiseSpec& spec();
    void only_for(bool applies, std::string_view key);
    ScenarioBuilder* b_;
    std::size_t i_;
};

// `channel NAME on HOST [policy=NAME] [target=S,...] [KEY=VALUE...]`
class ChannelBuilder {
public:
    ChannelBuilder& on(std::string host);
    ChannelBuilder& policy(std::string name);
    ChannelBuilder& targets(std::vector<std::string> servers);
    ChannelBuilder& config(std::string key, std::string value);  // policy config, kept in call order

private:
    friend class ScenarioBuilder;
    ChannelBuilder(ScenarioBuilder& b, std::size_t i) : b_(&b), i_(i) {}
    ChannelSpec& spec();
    ScenarioBuilder* b_;
    std::size_t i_;
};

// `rpcs CHANNEL rate=R [from=T] [until=T] [deadline=D] [wait_for_ready] [key=K]`
class RpcsBuilder {
public:
    RpcsBuilder& rate(std::uint64_t events, Duration per);
    RpcsBuilder& from(Duration t);
    RpcsBuilder& until(Duration t);
    RpcsBuilder& deadline(Duration d);
    RpcsBuilder& wait_for_ready(bool on = true);
    RpcsBuilder& key(std::string k);  // `key=K`

private:
    friend class ScenarioBuilder;
    RpcsBuilder(ScenarioBuilder& b, std::size_t i) : b_(&b), i_(i) {}
    WorkloadSpec& spec();
    ScenarioBuilder* b_;
    std::size_t i_;
};

// A step: `TRIGGER [as LABEL]: ACTION`, or `...: in any order` and one call per action.
// `count`, `deadline`, `wait_for_ready` and `key` modify the `rpc` action just added.
class StepBuilder {
public:
    StepBuilder& as(std::string label);
    StepBuilder& in_any_order();
    StepBuilder& start(std::string server);
    StepBuilder& stop(std::string server);
    StepBuilder& graceful_stop(std::string server);
    StepBuilder& crash(std::string server);
    StepBuilder& restart(std::string server);
    StepBuilder& pause(std::string server);
    StepBuilder& resume(std::string server);
    StepBuilder& partition(std::string host_a, std::string host_b);
    StepBuilder& heal(std::string host_a, std::string host_b);
    StepBuilder& resolve(std::string channel, std::vector<std::string> servers = {});
    StepBuilder& resolver_error(std::string channel);
    StepBuilder& rpc(std::string channel);
    StepBuilder& count(int n);
    StepBuilder& deadline(Duration d);
    StepBuilder& wait_for_ready(bool on = true);
    StepBuilder& key(std::string k);  // `key=K`
    StepBuilder& connect(std::string channel);
    StepBuilder& load(std::string server, std::uint32_t cpu_percent, std::uint32_t qps = 100, std::uint32_t eps = 0);

private:
    friend class ScenarioBuilder;
    StepBuilder(ScenarioBuilder& b, std::size_t i) : b_(&b), i_(i) {}
    Step& spec();
    StepBuilder& add(Action action);
    Action& last_rpc(std::string_view modifier);
    ScenarioBuilder* b_;
    std::size_t i_;
};

// `expect ...`: the optional parts of an expectation.
class ExpectationBuilder {
public:
    ExpectationBuilder& with(kernel::Errno error);  // `fails with ERRNO`
    ExpectationBuilder& within(Duration d);  // `is STATE within D`, `receives rpcs within D`, `states ... within D`
    ExpectationBuilder& after(std::string label);   // `... after LABEL`
    ExpectationBuilder& from(Duration t);           // `rpcs ok >= P% from=T`
    ExpectationBuilder& until(Duration t);
    ExpectationBuilder& at_most();                  // `rpcs ok <= P%`, `rpcs share <= P%`

private:
    friend class ScenarioBuilder;
    ExpectationBuilder(ScenarioBuilder& b, std::size_t i) : b_(&b), i_(i) {}
    Expectation& spec();
    void only_for(bool applies, std::string_view part);
    ScenarioBuilder* b_;
    std::size_t i_;
};

class ScenarioBuilder {
public:
    explicit ScenarioBuilder(std::string name);  // `scenario NAME`

    ScenarioBuilder& description(std::string text);
    ScenarioBuilder& param(std::string name, std::string value);  // recorded; the builder substitutes nothing
    ScenarioBuilder& end_at(Duration t);                          // `end at T`

    HostBuilder host(std::string name);
    SysctlBuilder sysctl(std::string host);
    LinkBuilder link(std::string host_a, std::string host_b);
    ServerBuilder server(std::string name);
    NoiseBuilder noise(std::string name, NoiseKind kind);
    ChannelBuilder channel(std::string name);
    RpcsBuilder rpcs(std::string channel);

    // Steps; one without `as()` is labelled "step#<n>", n counting steps from 1.
    StepBuilder at(Duration t);
    StepBuilder at(Duration low, Duration high);
    StepBuilder after(std::string label, Duration delay = Duration::zero());
    StepBuilder after(std::string label, Duration low, Duration high);
    StepBuilder when(std::string channel, ConnectivityStateName state);

    ExpectationBuilder expect_succeeds(std::string label);
    ExpectationBuilder expect_fails(std::string label);
    ExpectationBuilder expect_states(std::string channel, std::vector<ConnectivityStateName> states);
    ExpectationBuilder expect_states_match(std::string channel, std::string pattern);
    ExpectationBuilder expect_is(std::string channel, ConnectivityStateName state);  // then within()
    ExpectationBuilder expect_rpcs_ok(std::string channel, std::uint32_t percent);     // `>=`; at_most() for `<=`
    ExpectationBuilder expect_rpcs_share(std::string server, std::uint32_t percent);  // `rpcs share >= P%`
    ExpectationBuilder expect_receives(std::string server);
    ExpectationBuilder expect_never_receives(std::string server);
    ExpectationBuilder expect_no_record(std::string kind);

    Scenario build() const;

private:
    friend class HostBuilder;
    friend class SysctlBuilder;
    friend class LinkBuilder;
    friend class ServerBuilder;
    friend class NoiseBuilder;
    friend class ChannelBuilder;
    friend class RpcsBuilder;
    friend class StepBuilder;
    friend class ExpectationBuilder;

    // A part a statement must have (`on(HOST)`), until the call that gives it.
    struct Required {
        std::string statement;  // "server 'a'"
        std::string part;       // "on(HOST)"
        bool given = false;
    };
    std::size_t require(std::string statement, std::string part);
    StepBuilder step(Trigger trigger);
    ExpectationBuilder expect(Expectation e);

    Scenario scenario_;
    std::vector<std::pair<std::string, SysctlSpec>> sysctls_;
    std::vector<Required> required_;
    // Indices into required_ per statement, for the calls that give a part.
    std::vector<std::size_t> server_on_, server_at_, noise_on_, noise_rate_, noise_port_, channel_on_, rpcs_rate_;
};

}  // namespace netsim::scenarios
