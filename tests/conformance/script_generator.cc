#include "tests/conformance/script_generator.h"

#include "sim/core/rng.h"

#include <fmt/format.h>

#include <array>
#include <iterator>
#include <map>
#include <memory>
#include <set>
#include <span>
#include <vector>

namespace netsim::conformance {

namespace {

constexpr std::array explicit_ports{5000, 5001};
constexpr int listen_backlog = 16;
constexpr int max_connects = 12;  // < listen_backlog + 1: no accept queue can fill up
constexpr int max_sends = 8;
constexpr int max_send_bytes = 1000;

// A weighted choice: `weights[i]` out of their sum.
std::size_t pick_weighted(Rng& rng, std::span<const int> weights) {
    int total = 0;
    for (int w : weights) total += w;
    auto draw = static_cast<int>(rng.below(static_cast<std::uint64_t>(total)));
    for (std::size_t i = 0; i < weights.size(); ++i) {
        if (draw < weights[i]) return i;
        draw -= weights[i];
    }
    return weights.size() - 1;
}

template <typename T, std::size_t N>
const T& pick(Rng& rng, const std::array<T, N>& items) {
    return items[static_cast<std::size_t>(rng.below(N))];
}

// What the generator remembers of a socket: only what it needs to steer clear of the
// unpredictable constructs, never a guess at an outcome.
struct SocketShadow {
    int id = 0;                       // order of creation
    bool inet6 = false;
    bool accepted = false;
    bool reuseport = false;           // SO_REUSEPORT 1 was set at some point
    bool mapped_connect = false;      // connect to a ::ffff: address was tried (inet6 only)
    bool shut_for_writing = false;    // shutdown wr or rdwr was tried: a later connect may send a FIN
    std::set<int> possible_ports;     // where it may be bound if it listens
};

class Generator {
public:
    explicit Generator(Rng rng) : rng_(rng) {}

    std::string script(std::uint64_t seed, int index) {
        ephemeral_port_ = rng_.chance(3, 5) ? 40000 : pick(rng_, explicit_ports);
        emit(fmt::format("# generated: generate_scripts --seed {} (script {})", seed, index));
        emit(fmt::format("sysctl ip_local_port_range {} {}", ephemeral_port_, ephemeral_port_));
        emit("sysctl tcp_tw_reuse 0");
        const auto steps = rng_.between(8, 40);
        for (std::int64_t i = 0; i < steps; ++i) step();
        settle();
        emit("table");
        return text_;
    }

private:
    enum Op { socket_op, setsockopt_op, bind_op, listen_op, connect_op, accept_op, send_op, recv_op,
              shutdown_op, close_op, port_op, sleep_op, error_op, state_op };

    void step() {
        static constexpr std::array weights{12, 12, 14, 9, 14, 9, 8, 8, 4, 8, 6, 1, 4, 6};
        const auto op = static_cast<Op>(pick_weighted(rng_, weights));
        if (names_.empty() || op == socket_op) return new_socket();
        const std::string name = any_name();
        switch (op) {
            case setsockopt_op: return setsockopt(name);
            case bind_op: return bind(name);
            case listen_op: return listen(name);
            case connect_op: return connect(name);
            case accept_op: return accept(name);
            case send_op:
                if (sends_ >= max_sends) return port(name);
                ++sends_;
                return emit(fmt::format("send {} {}", name, rng_.between(0, max_send_bytes)));
            case recv_op: return emit(fmt::format("recv {} {}", name, rng_.between(1, 2000)));
            case shutdown_op: {
                static constexpr std::array<const char*, 3> how{"rd", "wr", "rdwr"};
                const std::string_view chosen = pick(rng_, how);
                emit(fmt::format("shutdown {} {}", name, chosen));
                if (chosen != "rd") {
                    shadow(name).shut_for_writing = true;
                    settle();
                }
                return;
            }
            case close_op:
                emit(fmt::format("close {}", name));
                return settle();
            case state_op: return emit(fmt::format("state {}", name));
            case sleep_op:
                if (slept_) return port(name);
                slept_ = true;
                return emit(fmt::format("sleep {}ms", rng_.between(1, 100)));
            case error_op: return emit(fmt::format("error {}", name));
            case port_op:
            case socket_op: break;
        }
        port(name);
    }

    void new_socket() {
        static constexpr std::array<const char*, 4> socket_names{"s0", "s1", "s2", "s3"};
        const std::string name = pick(rng_, socket_names);
        const bool inet6 = rng_.chance(1, 3);
        SocketShadow fresh;
        fresh.inet6 = inet6;
        bind_name(name, fresh);
        emit(fmt::format("socket {}{}", name, inet6 ? " inet6" : ""));
    }

    void setsockopt(const std::string& name) {
        static constexpr std::array options{40, 15, 20, 25};
        switch (pick_weighted(rng_, options)) {
            case 0:
                return emit(fmt::format("setsockopt {} SO_REUSEADDR {}", name,
                                        rng_.chance(4, 5) ? 1 : 0));
            case 1: {
                const bool on = rng_.chance(4, 5);
                if (on) shadow(name).reuseport = true;
                return emit(fmt::format("setsockopt {} SO_REUSEPORT {}", name, on ? 1 : 0));
            }
            case 2: return emit(fmt::format("setsockopt {} IPV6_V6ONLY {}", name, rng_.chance(1, 2) ? 1 : 0));
            default: {
                static constexpr std::array<const char*, 3> linger{"0", "1", "off"};
                return emit(fmt::format("setsockopt {} SO_LINGER {}", name, pick(rng_, linger)));
            }
        }
    }

    void bind(const std::string& name) {
        static constexpr std::array<const char*, 4> inet{"127.0.0.1", "0.0.0.0", "127.0.0.2", "::1"};
        static constexpr std::array inet_weights{50, 35, 10, 5};
        static constexpr std::array<const char*, 4> inet6{"::1", "::", "::ffff:127.0.0.1", "127.0.0.1"};
        static constexpr std::array inet6_weights{40, 35, 20, 5};
        SocketShadow& s = shadow(name);
        const char* address = s.inet6 ? inet6[pick_weighted(rng_, inet6_weights)]
                                       : inet[pick_weighted(rng_, inet_weights)];
        int port = 0;
        switch (rng_.below(4)) {
            case 0: port = ephemeral_port_; break;
            case 1: port = 0; break;
            default: port = pick(rng_, explicit_ports); break;
        }
        if (port != 0) s.possible_ports.insert(port);
        emit(fmt::format("bind {} {} {}", name, address, port));
    }

    void listen(const std::string& name) {
        SocketShadow& s = shadow(name);
        if (s.reuseport && !s.accepted) {
            s.possible_ports.insert(ephemeral_port_);  // bind(0) or listen's auto-bind
            for (int port : s.possible_ports) reuseport_listeners_[port].insert(s.id);
        }
        emit(fmt::format("listen {} {}", name, listen_backlog));
    }

    void connect(const std::string& name) {
        if (connects_ >= max_connects) return port(name);
        static constexpr std::array<const char*, 4> inet{"127.0.0.1", "127.0.0.2", "0.0.0.0", "::1"};
        static constexpr std::array inet_weights{85, 5, 5, 5};
        static constexpr std::array<const char*, 4> inet6{"::1", "::ffff:127.0.0.1", "::", "127.0.0.1"};
        static constexpr std::array inet6_weights{55, 35, 5, 5};
        SocketShadow& s = shadow(name);
        std::string address = s.inet6 ? inet6[pick_weighted(rng_, inet6_weights)]
                                      : inet[pick_weighted(rng_, inet_weights)];
        const int target = rng_.chance(1, 4) ? ephemeral_port_ : pick(rng_, explicit_ports);
        if (reuseport_listeners_[target].size() >= 2) return port(name);
        if (s.inet6 && address.starts_with("::ffff:")) s.mapped_connect = true;
        else if (s.mapped_connect && address.starts_with(":")) address = "::ffff:127.0.0.1";
        ++connects_;
        emit(fmt::format("connect {} {} {}{}", name, address, target, rng_.chance(1, 4) ? " nonblock" : ""));
        if (s.shut_for_writing) settle();
    }

    void accept(const std::string& listener) {
        static constexpr std::array<const char*, 3> accepted_names{"a0", "a1", "a2"};
        const std::string name = pick(rng_, accepted_names);
        SocketShadow accepted = shadow(listener);
        accepted.accepted = true;
        accepted.possible_ports.clear();
        bind_name(name, accepted);
        emit(fmt::format("accept {} {}", listener, name));
    }

    void port(const std::string& name) { emit(fmt::format("port {}", name)); }

    // After an operation that may send a FIN: the peer ACKs a FIN late (one tick when it has
    // received no data, 40 ms when it has), and within a tick or two of that the real outcome
    // depends on scheduling, so every later `state` and the final `table` read it settled.
    void settle() { emit(fmt::format("sleep {}ms", settle_ms)); }

    void bind_name(const std::string& name, SocketShadow s) {
        s.id = static_cast<int>(sockets_.size());
        sockets_.push_back(std::make_unique<SocketShadow>(s));
        names_[name] = sockets_.back().get();
    }

    SocketShadow& shadow(const std::string& name) { return *names_.at(name); }

    std::string any_name() {
        auto it = names_.begin();
        std::advance(it, static_cast<std::ptrdiff_t>(rng_.below(names_.size())));
        return it->first;
    }

    void emit(const std::string& line) { text_ += line + "\n"; }

    static constexpr int settle_ms = 50;

    Rng rng_;
    int ephemeral_port_ = 40000;
    int connects_ = 0;
    int sends_ = 0;
    bool slept_ = false;
    std::vector<std::unique_ptr<SocketShadow>> sockets_;
    std::map<std::string, SocketShadow*> names_;  // ordered: iteration order is part of the output
    // port -> ids of the SO_REUSEPORT sockets that may listen there
    std::map<int, std::set<int>> reuseport_listeners_;
    std::string text_;
};

}  // namespace

std::string generate_script(std::uint64_t seed, int index) {
    return Generator(Rng(seed).stream(fmt::format("script-{}", index))).script(seed, index);
}

}  // namespace netsim::conformance
