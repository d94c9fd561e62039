// `tools/dev bench` (policy part): issue #13's load for every registered policy: one channel over
// 1,000 backends (each its own host, 1 ms links, 1 ms service), 10,000 RPCs per virtual second for
// 60 virtual seconds. Prints simulated RPCs per wall second, the READY subchannels at the end,
// and the heap the world holds per backend at the end of the run (its host, kernel, server,
// sockets on both sides, and the subchannel and transport when connected): an upper bound on
// what a subchannel costs.
#include "policies/channel.h"
#include "policies/policy_registry.h"
#include "sim/app/server.h"
#include "sim/app/world.h"
#include "tools/bench/wall_timer.h"

#include <fmt/core.h>

#include <memory>
#ifdef NETSIM_TCMALLOC
#include <gperftools/malloc_extension.h>
#else
#include <malloc.h>
#endif

using namespace netsim;

namespace {

constexpr int backends = 1000;
constexpr Duration rpc_gap = Duration::microseconds(100);  // 10,000 RPCs/s
constexpr Duration run_for = Duration::seconds(60);

// Heap bytes in use, for the memory estimate only: unlike the resident set it does not keep the
// pages an earlier policy's world freed. Under tcmalloc, the bytes its size classes hand out
// (requests rounded up to their class); under glibc, mallinfo2's bytes in use.
std::int64_t heap_bytes() {
#ifdef NETSIM_TCMALLOC
    std::size_t bytes = 0;
    MallocExtension::instance()->GetNumericProperty("generic.current_allocated_bytes", &bytes);
    return static_cast<std::int64_t>(bytes);
#else
    const struct mallinfo2 m = mallinfo2();
    return static_cast<std::int64_t>(m.uordblks + m.hblkhd);
#endif
}

struct Bench {
    std::unique_ptr<app::World> world;
    policies::Channel* channel = nullptr;
    std::uint64_t done = 0;
    std::uint64_t ok = 0;

    explicit Bench(const std::string& policy) {
        SimulationOptions options;
        options.seed = 1;
        options.limits.max_events = 2'000'000'000;
        world = std::make_unique<app::World>(options);
        world->network().set_default_link(net::LinkConfig{Duration::milliseconds(1)});
        const net::HostId client = world->add_host("client", {*net::IpAddress::parse("10.0.0.1")});
        std::vector<net::SocketAddress> addresses;
        for (int i = 0; i < backends; ++i) {
            const net::IpAddress ip = *net::IpAddress::parse(fmt::format("10.1.{}.{}", i / 250, i % 250 + 1));
            const net::HostId host = world->add_host(fmt::format("h{}", i), {ip});
            app::ServerConfig config;
            config.address = net::SocketAddress{ip, 50051};
            config.load_report = app::LoadReport{100, 500, 0};  // read by weighted_round_robin only
            world->spawn<app::Server>(host, fmt::format("s{}", i), config).start();
            addresses.push_back(config.address);
        }
        policies::ChannelConfig config;
        config.policy = policy;
        config.addresses = addresses;
        channel = &world->spawn<policies::Channel>(client, "client", config);
    }

    void start_rpc(Instant until) {
        channel->start_rpc({.deadline = Duration::seconds(5)}, [this](const policies::RpcResult& r) {
            ++done;
            ok += r.status == policies::RpcStatus::ok;
        });
        if (world->sim().now() + rpc_gap < until)
            world->sim().schedule_after(rpc_gap, [this, until] { start_rpc(until); });
    }
};

}  // namespace

int main(int argc, char** argv) {
    // An optional argument runs one policy only (for profiling).
    const std::string only = argc > 1 ? argv[1] : "";
    fmt::print("{:<22} {:>8} {:>8} {:>12} {:>6} {:>14} {:>11}\n", "policy", "rpcs", "ok", "rpcs/wall s", "ready",
               "bytes/backend", "events/rpc");
    for (const std::string& policy : policies::PolicyRegistry::builtin().names()) {
        if (!only.empty() && policy != only) continue;
        const std::int64_t before = heap_bytes();
        Bench b(policy);
        b.channel->connect();
        b.world->sim().run_until(Instant::at(Duration::milliseconds(100)));
        const Instant until = Instant::at(Duration::milliseconds(100) + run_for);
        const std::uint64_t events_before = b.world->sim().events_executed();
        bench::WallTimer timer;
        b.start_rpc(until);
        b.world->sim().run_until(until + Duration::seconds(6));
        const double seconds = timer.seconds();
        const std::int64_t after = heap_bytes();
        std::size_t ready = 0;
        for (const policies::Subchannel* s : b.channel->subchannels())
            ready += s->state() == policies::ConnectivityState::ready;
        const double events_per_rpc =
            static_cast<double>(b.world->sim().events_executed() - events_before) / static_cast<double>(b.done);
        fmt::print("{:<22} {:>8} {:>8} {:>12.0f} {:>6} {:>14} {:>11.1f}\n", policy, b.done, b.ok,
                   static_cast<double>(b.done) / seconds, ready, (after - before) / backends, events_per_rpc);
    }
    return 0;
}
