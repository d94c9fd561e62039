#include "sim/net/network.h"

#include "tests/support/catch.h"

#include <vector>

using namespace netsim;
using namespace netsim::net;
using namespace netsim::literals;

namespace {

struct Recorder : SegmentReceiver {
    Simulation* sim = nullptr;
    std::vector<std::pair<Instant, std::uint32_t>> got;  // (arrival, payload bytes as a tag)
    void receive_segment(const Segment& s) override { got.emplace_back(sim->now(), s.payload_bytes); }
};

struct TwoHosts {
    Simulation sim{SimulationOptions{}};
    Network net{sim};
    HostId a = net.add_host("a", {*IpAddress::parse("10.0.0.1")});
    HostId b = net.add_host("b", {*IpAddress::parse("10.0.0.2")});
    Recorder at_a, at_b;

    explicit TwoHosts(SimulationOptions o = {}) : sim(o) {
        at_a.sim = at_b.sim = &sim;
        net.attach_receiver(a, &at_a);
        net.attach_receiver(b, &at_b);
    }
    Segment to_b(std::uint32_t tag, std::uint8_t flags = flag_ack) {
        return Segment{{*IpAddress::parse("10.0.0.1"), 1000}, {*IpAddress::parse("10.0.0.2"), 80}, flags, tag};
    }
};

std::vector<std::uint32_t> tags(const Recorder& r) {
    std::vector<std::uint32_t> out;
    for (auto& [t, tag] : r.got) out.push_back(tag);
    return out;
}

}  // namespace

TEST_CASE("loopback delivers at the same instant, in a later event", "[network]") {
    TwoHosts w;
    Segment s{{*IpAddress::parse("127.0.0.1"), 1}, {*IpAddress::parse("127.0.0.1"), 2}, flag_syn, 7};
    w.net.send(w.a, s);
    REQUIRE(w.at_a.got.empty());
    w.sim.run();
    REQUIRE(w.at_a.got.size() == 1);
    REQUIRE(w.at_a.got[0].first == Instant::start());
    REQUIRE(w.at_b.got.empty());
}

TEST_CASE("a link delays by its latency and routes by address", "[network]") {
    TwoHosts w;
    w.net.set_link(w.a, w.b, LinkConfig{5_ms});
    w.net.send(w.a, w.to_b(1));
    w.sim.run();
    REQUIRE(w.at_b.got.size() == 1);
    REQUIRE(w.at_b.got[0].first == Instant::at(5_ms));
}

TEST_CASE("jitter never reorders one path, even with tie-shuffling", "[network]") {
    for (std::uint64_t seed = 0; seed < 20; ++seed) {
        SimulationOptions o;
        o.seed = seed;
        o.shuffle_ties = true;
        TwoHosts w(o);
        w.net.set_link(w.a, w.b, LinkConfig{1_ms, 3_ms});
        for (std::uint32_t i = 1; i <= 50; ++i) w.net.send(w.a, w.to_b(i));
        w.sim.run();
        std::vector<std::uint32_t> expected;
        for (std::uint32_t i = 1; i <= 50; ++i) expected.push_back(i);
        REQUIRE(tags(w.at_b) == expected);
    }
}

TEST_CASE("a partition drops SYNs and delivers other segments on heal", "[network]") {
    TwoHosts w;
    w.net.partition(w.a, w.b);
    w.net.send(w.a, w.to_b(1, flag_syn));
    w.net.send(w.a, w.to_b(2));
    w.sim.run_until(Instant::at(10_s));
    REQUIRE(w.at_b.got.empty());
    w.net.heal(w.a, w.b);
    w.sim.run();
    REQUIRE(tags(w.at_b) == std::vector<std::uint32_t>{2});
    REQUIRE(w.at_b.got[0].first == Instant::at(10_s));
}

TEST_CASE("hold queues everything and release delivers it in order", "[network]") {
    TwoHosts w;
    w.net.hold(w.a, w.b);
    w.net.send(w.a, w.to_b(1, flag_syn));
    w.net.send(w.a, w.to_b(2));
    w.sim.run_until(Instant::at(3_s));
    REQUIRE(w.at_b.got.empty());
    w.net.release(w.a, w.b);
    w.sim.run();
    REQUIRE(tags(w.at_b) == std::vector<std::uint32_t>{1, 2});
}

TEST_CASE("loss drops handshakes and delays other segments by retransmission timeouts", "[network]") {
    TwoHosts w;
    w.net.set_link(w.a, w.b, LinkConfig{1_ms, Duration::zero(), 1, 2});
    for (std::uint32_t i = 0; i < 200; ++i) w.net.send(w.a, w.to_b(1, flag_syn));
    for (std::uint32_t i = 0; i < 200; ++i) w.net.send(w.a, w.to_b(2));
    w.sim.run();
    std::size_t syns = 0, data = 0, delayed = 0;
    for (auto& [t, tag] : w.at_b.got) {
        if (tag == 1) ++syns;
        if (tag == 2) {
            ++data;
            if (t > Instant::at(1_ms)) ++delayed;
        }
    }
    REQUIRE(syns > 60);
    REQUIRE(syns < 140);
    REQUIRE(data == 200);
    REQUIRE(delayed > 60);
}

TEST_CASE("a segment to an address nobody owns is dropped and traced", "[network]") {
    TwoHosts w;
    w.sim.trace().retain_records(true);
    Segment s{{*IpAddress::parse("10.0.0.1"), 1}, {*IpAddress::parse("10.9.9.9"), 2}, flag_syn, 0};
    w.net.send(w.a, s);
    w.sim.run();
    REQUIRE(w.at_b.got.empty());
    REQUIRE(w.sim.trace().records().back().kind == "unroutable");
}

TEST_CASE("pairs without a link of their own use the default link", "[network]") {
    TwoHosts w;
    w.net.set_default_link(LinkConfig{7_ms});
    w.net.send(w.a, w.to_b(1));
    w.sim.run();
    REQUIRE(w.at_b.got.size() == 1);
    REQUIRE(w.at_b.got[0].first == Instant::at(7_ms));
}
