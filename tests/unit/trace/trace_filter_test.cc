#include "sim/trace/trace_filter.h"

#include "tests/support/catch.h"
#include "tests/unit/trace/sample_records.h"

using namespace netsim;
using namespace netsim::trace;
using netsim::testing::RecordMaker;
using netsim::testing::v4;

namespace {
template <class Set>
TraceFilter filter(Set&& set) {
    TraceFilterSpec spec;
    set(spec);
    Placement p;
    p.place("a", "machine");
    p.place("tests", "other");
    return TraceFilter(std::move(spec), p);
}
}  // namespace

TEST_CASE("an empty filter keeps every record", "[trace][filter]") {
    RecordMaker m;
    TraceFilter f;
    REQUIRE(f.keeps_everything());
    REQUIRE(f.keeps(m.make(0, "x", "y", {})));
}

TEST_CASE("kind patterns match KIND or SOURCE.KIND, with a trailing star", "[trace][filter]") {
    REQUIRE(kind_pattern_matches("tcp.state", "machine/kernel", "tcp.state"));
    REQUIRE(kind_pattern_matches("sys.*", "machine/kernel", "sys.bind"));
    REQUIRE(kind_pattern_matches("net.tx", "net", "tx"));
    REQUIRE(kind_pattern_matches("net.*", "net", "drop"));
    REQUIRE(kind_pattern_matches("*", "net", "drop"));
    REQUIRE_FALSE(kind_pattern_matches("net.tx", "net", "txx"));
    REQUIRE_FALSE(kind_pattern_matches("tcp.state", "machine/kernel", "tcp.states"));
    REQUIRE_FALSE(kind_pattern_matches("sys.*", "machine/kernel", "tcp.state"));
}

TEST_CASE("the host filter places kernels, segments and placed components", "[trace][filter]") {
    RecordMaker m;
    TraceFilter f = filter([](TraceFilterSpec& s) { s.hosts = {"machine"}; });
    REQUIRE(f.keeps(m.make(0, "machine/kernel", "sys.bind", {})));
    REQUIRE(f.keeps(m.make(0, "a", "server.start", {})));
    REQUIRE(f.keeps(m.segment(0, v4(127, 0, 0, 1, 1), v4(127, 0, 0, 1, 2), 1, "SYN")));
    REQUIRE_FALSE(f.keeps(m.make(0, "tests#7", "server.start", {})));
    REQUIRE_FALSE(f.keeps(m.make(0, "other/kernel", "sys.bind", {})));
    REQUIRE_FALSE(f.keeps(m.make(0, "timeline", "step.run", {})));
}

TEST_CASE("the process filter takes a scenario name for all its parts and processes", "[trace][filter]") {
    RecordMaker m;
    TraceFilter f = filter([](TraceFilterSpec& s) { s.processes = {"client", "tests"}; });
    REQUIRE(f.keeps(m.make(0, "client/channel", "channel.state", {})));
    REQUIRE(f.keeps(m.make(0, "tests#7", "server.start", {})));
    REQUIRE_FALSE(f.keeps(m.make(0, "a", "server.start", {})));
}

TEST_CASE("the port filter finds the port in endpoints and in a port field", "[trace][filter]") {
    RecordMaker m;
    TraceFilter f = filter([](TraceFilterSpec& s) { s.ports = {42293}; });
    REQUIRE(f.keeps(m.make(0, "a", "server.start", {{"port", std::int64_t{42293}}})));
    REQUIRE(f.keeps(m.segment(0, v4(127, 0, 0, 1, 5000), v4(127, 0, 0, 1, 42293), 1, "SYN")));
    REQUIRE_FALSE(f.keeps(m.make(0, "a", "server.start", {{"port", std::int64_t{42294}}})));
    REQUIRE_FALSE(f.keeps(m.make(0, "x", "y", {{"rpc", std::int64_t{42293}}})));
}

TEST_CASE("the socket filter follows the socket's connection to its segments", "[trace][filter]") {
    RecordMaker m;
    TraceFilter f = filter([](TraceFilterSpec& s) { s.sockets = {4}; });
    const auto local = v4(127, 0, 0, 1, 37958), remote = v4(127, 0, 0, 1, 80);
    REQUIRE_FALSE(f.keeps(m.segment(0, local, remote, 1, "SYN")));  // not yet known
    REQUIRE(f.keeps(m.make(1, "machine/kernel", "tcp.state", {{"sock", std::int64_t{4}}, {"local", local}, {"remote", remote}})));
    REQUIRE_FALSE(f.keeps(m.make(1, "machine/kernel", "tcp.state", {{"sock", std::int64_t{5}}})));
    REQUIRE(f.keeps(m.segment(2, remote, local, 3, "SYN|ACK")));
    REQUIRE_FALSE(f.keeps(m.segment(2, remote, v4(127, 0, 0, 1, 1), 3, "SYN|ACK")));
}

TEST_CASE("the time window keeps both ends and the criteria combine", "[trace][filter]") {
    RecordMaker m;
    TraceFilter f = filter([](TraceFilterSpec& s) {
        s.kinds = {"server.*"};
        s.from = Instant::at(Duration::nanoseconds(10));
        s.until = Instant::at(Duration::nanoseconds(20));
    });
    REQUIRE(f.keeps(m.make(10, "a", "server.start", {})));
    REQUIRE(f.keeps(m.make(20, "a", "server.stop", {})));
    REQUIRE_FALSE(f.keeps(m.make(21, "a", "server.stop", {})));
    REQUIRE_FALSE(f.keeps(m.make(9, "a", "server.stop", {})));
    REQUIRE_FALSE(f.keeps(m.make(15, "a", "step.run", {})));
}
