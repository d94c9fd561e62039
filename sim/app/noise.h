// Noise: the other tests running on the same machine, as processes whose socket activity
// arrives at seeded Poisson times (stream "noise/<process>"). They never inject an error: they
// only bind, listen and connect, and whatever port they take, the kernel model's Linux rules
// gave them. Three kinds:
//   NoiseListeners  a parallel test starting its own server: bind(0) + listen, serve RPCs under
//                   its own name for a hold time, then close (socket options as configured,
//                   since the other tests use the same gRPC library).
//   NoiseConnects   outbound connections to a target, held, then closed by either side.
//   NoiseHolders    a socket bound to a fixed port for a hold time.
#pragma once

#include "sim/app/process.h"
#include "sim/app/rpc_responder.h"
#include "sim/core/flat_map.h"

#include <functional>
#include <optional>
#include <vector>

namespace netsim::app {

struct NoiseTiming {
    Duration mean_gap = Duration::milliseconds(10);  // Poisson arrivals of this process
    Duration hold_low = Duration::milliseconds(50);
    Duration hold_high = Duration::milliseconds(50);
    Instant from = Instant::start();
    Instant until = Instant::max();
};

// Arrivals at exponential gaps and seeded hold times for one noise process.
class NoiseClock {
public:
    NoiseClock(Process& owner, NoiseTiming timing);
    // Schedules `arrive` at every arrival from `timing.from` until `timing.until`.
    void run(std::function<void()> arrive);
    Duration draw_hold() { return uniform_delay(rng_, timing_.hold_low, timing_.hold_high); }
    Rng& rng() { return rng_; }

private:
    void schedule_next(Instant after);
    Process& owner_;
    NoiseTiming timing_;
    Rng rng_;
    std::function<void()> arrive_;
};

struct NoiseListenerOptions {
    net::IpAddress address = net::IpAddress::loopback(net::IpFamily::v4);
    bool reuseaddr = false;
    bool reuseport = false;
    Duration service_low = Duration::milliseconds(1);
    Duration service_high = Duration::milliseconds(1);
};

class NoiseListeners final : public Process {
public:
    NoiseListeners(World& world, net::HostId host, std::string name, NoiseTiming timing, NoiseListenerOptions options);
    void begin();
    // The listeners alive now, for connect noise aimed at them, in the order they opened.
    std::size_t live_count() const { return listeners_.size(); }
    net::SocketAddress live_address(std::size_t index) const;

private:
    void open_one();
    void close_one(kernel::Fd fd);
    void accept_all(kernel::Fd fd);

    NoiseClock clock_;
    NoiseListenerOptions options_;
    RpcResponder responder_;
    FlatMap<kernel::Fd, net::SocketAddress> listeners_;
};

class NoiseConnects final : public Process {
public:
    // `target` is asked at each arrival; none: no connection this time.
    using Target = std::function<std::optional<net::SocketAddress>(Rng&)>;
    NoiseConnects(World& world, net::HostId host, std::string name, NoiseTiming timing, Target target);
    void begin();

private:
    void connect_one();
    void drain(kernel::Fd fd);
    void end(kernel::Fd fd);

    NoiseClock clock_;
    Target target_;
    FlatMap<kernel::Fd, EventId> open_;
};

class NoiseHolders final : public Process {
public:
    NoiseHolders(World& world, net::HostId host, std::string name, NoiseTiming timing, net::SocketAddress address);
    void begin();

private:
    void hold_one();

    NoiseClock clock_;
    net::SocketAddress address_;
};

}  // namespace netsim::app
