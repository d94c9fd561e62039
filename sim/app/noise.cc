// Noise processes (see noise.h).
#include "sim/app/noise.h"

#include <algorithm>

namespace netsim::app {

using kernel::Errno;
using kernel::Fd;

NoiseClock::NoiseClock(Process& owner, NoiseTiming timing)
    : owner_(owner), timing_(timing), rng_(owner.sim().rng_stream("noise/" + owner.name())) {}

void NoiseClock::run(std::function<void()> arrive) {
    arrive_ = std::move(arrive);
    schedule_next(std::max(owner_.sim().now(), timing_.from));
}

void NoiseClock::schedule_next(Instant after) {
    const Instant at = after + exponential_delay(rng_, timing_.mean_gap);
    if (at > timing_.until) return;
    owner_.sim().schedule_at(at, [this, at] {
        arrive_();
        schedule_next(at);
    });
}

// ---- listeners --------------------------------------------------------------------------

NoiseListeners::NoiseListeners(World& world, net::HostId host, std::string name, NoiseTiming timing,
                               NoiseListenerOptions options)
    : Process(world, host, std::move(name)),
      clock_(*this, timing),
      options_(options),
      responder_(*this, options.service_low, options.service_high) {}

void NoiseListeners::begin() { clock_.run([this] { open_one(); }); }

void NoiseListeners::open_one() {
    Fd fd = open_socket(options_.address.family()).value();
    if (options_.reuseaddr) (void)kernel().setsockopt(fd, kernel::SocketOption::reuseaddr, 1);
    if (options_.reuseport) (void)kernel().setsockopt(fd, kernel::SocketOption::reuseport, 1);
    Errno result = kernel().bind(fd, net::SocketAddress{options_.address, 0});
    if (result == Errno::ok) result = kernel().listen(fd, 128);
    if (result != Errno::ok) {
        (void)kernel().close(fd);
        return;
    }
    listeners_.emplace(fd, kernel().getsockname(fd).value());
    kernel().watch(fd, [this](const kernel::SocketNotice& n) { accept_all(n.fd); });
    sim().schedule_after(clock_.draw_hold(), [this, fd] { close_one(fd); });
}

void NoiseListeners::accept_all(Fd fd) {
    if (!listeners_.contains(fd)) return;
    while (true) {
        auto accepted = kernel().accept(fd);
        if (!accepted.ok()) return;
        responder_.adopt(accepted.value());
    }
}

void NoiseListeners::close_one(Fd fd) {
    if (listeners_.erase(fd) == 0) return;
    (void)kernel().close(fd);
    // The test ends: its server stops with the listener (its connections live on until their
    // clients close them, as a test's leftover connections do).
}

net::SocketAddress NoiseListeners::live_address(std::size_t index) const {
    NETSIM_CHECK_OP(index, <, listeners_.size());
    return std::next(listeners_.begin(), static_cast<std::ptrdiff_t>(index))->second;
}

// ---- connects ---------------------------------------------------------------------------

NoiseConnects::NoiseConnects(World& world, net::HostId host, std::string name, NoiseTiming timing, Target target)
    : Process(world, host, std::move(name)), clock_(*this, timing), target_(std::move(target)) {}

void NoiseConnects::begin() { clock_.run([this] { connect_one(); }); }

void NoiseConnects::connect_one() {
    const auto target = target_(clock_.rng());
    if (!target) return;
    Fd fd = open_socket(target->ip.family()).value();
    (void)kernel().connect(fd, *target);
    kernel().watch(fd, [this](const kernel::SocketNotice& n) {
        if (n.event == kernel::SocketEvent::connect_failed || n.event == kernel::SocketEvent::reset ||
            n.event == kernel::SocketEvent::peer_closed)
            end(n.fd);
        else if (n.event == kernel::SocketEvent::readable)
            drain(n.fd);
    });
    open_.emplace(fd, sim().schedule_after(clock_.draw_hold(), [this, fd] { end(fd); }));
}

void NoiseConnects::drain(Fd fd) {
    // Whatever the server sends (its preface) is read and dropped; EOF comes as peer_closed.
    while (true) {
        auto got = kernel().recv_message(fd);
        if (!got.ok() || got.value().bytes == 0) return;
    }
}

void NoiseConnects::end(Fd fd) {
    auto it = open_.find(fd);
    if (it == open_.end()) return;
    sim().cancel(it->second);
    open_.erase(it);
    (void)kernel().close(fd);
}

// ---- holders ----------------------------------------------------------------------------

NoiseHolders::NoiseHolders(World& world, net::HostId host, std::string name, NoiseTiming timing,
                           net::SocketAddress address)
    : Process(world, host, std::move(name)), clock_(*this, timing), address_(address) {}

void NoiseHolders::begin() { clock_.run([this] { hold_one(); }); }

void NoiseHolders::hold_one() {
    Fd fd = open_socket(address_.ip.family()).value();
    if (kernel().bind(fd, address_) != Errno::ok) {
        (void)kernel().close(fd);
        return;
    }
    sim().schedule_after(clock_.draw_hold(), [this, fd] { (void)kernel().close(fd); });
}

}  // namespace netsim::app
