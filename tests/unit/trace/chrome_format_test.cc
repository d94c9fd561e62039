#include "sim/trace/chrome_format.h"

#include "tests/support/catch.h"
#include "tests/unit/trace/sample_records.h"

using namespace netsim;
using namespace netsim::trace;
using netsim::testing::RecordMaker;
using netsim::testing::v4;

namespace {
Placement on_machine() {
    Placement p;
    p.place("client", "machine");
    return p;
}
}  // namespace

TEST_CASE("chrome: a socket's states are slices and a segment is a flow to the listener", "[trace][chrome]") {
    RecordMaker m;
    std::string out;
    ChromeFormat f(on_machine());
    const auto server = v4(127, 0, 0, 1, 80), client = v4(127, 0, 0, 1, 5000);
    f.begin(out);
    f.record(m.make(1000, "machine/kernel", "tcp.state",
                    {{"sock", std::int64_t{0}}, {"from", std::string_view("CLOSED")}, {"to", std::string_view("LISTEN")},
                     {"why", TraceLabel{1, "listen"}}, {"local", server}}),
             out);
    f.record(m.segment(2500, client, server, 1, "SYN"), out);
    f.end(Instant::at(Duration::nanoseconds(3000)), out);
    REQUIRE(out ==
            "{\"displayTimeUnit\":\"ns\",\"traceEvents\":[\n"
            R"({"ph":"M","pid":1,"tid":0,"name":"process_name","args":{"name":"machine"}},)" "\n"
            R"({"ph":"M","pid":1,"tid":1,"name":"thread_name","args":{"name":"sock 0 127.0.0.1:80"}},)" "\n"
            R"({"ph":"B","pid":1,"tid":1,"name":"LISTEN","ts":1.000,"args":{"why":"listen","local":"127.0.0.1:80"}},)" "\n"
            R"({"ph":"M","pid":1,"tid":2,"name":"thread_name","args":{"name":"kernel"}},)" "\n"
            R"({"ph":"X","pid":1,"tid":2,"name":"SYN","ts":2.500,"dur":0,"args":{"from":"machine","to":"machine","src":"127.0.0.1:5000","dst":"127.0.0.1:80","flags":"SYN","bytes":0}},)" "\n"
            R"({"ph":"s","pid":1,"tid":2,"name":"SYN","ts":2.500,"cat":"segment","id":1},)" "\n"
            R"({"ph":"X","pid":1,"tid":1,"name":"SYN","ts":2.500,"dur":0,"args":{"from":"machine","to":"machine","src":"127.0.0.1:5000","dst":"127.0.0.1:80","flags":"SYN","bytes":0}},)" "\n"
            R"({"ph":"f","pid":1,"tid":1,"name":"SYN","ts":2.500,"cat":"segment","bp":"e","id":1},)" "\n"
            R"({"ph":"E","pid":1,"tid":1,"name":"","ts":3.000})" "\n"
            "]}\n");
}

TEST_CASE("chrome: the channel's connectivity state is a slice and a counter", "[trace][chrome]") {
    RecordMaker m;
    std::string out;
    ChromeFormat f(on_machine());
    f.begin(out);
    f.record(m.make(0, "client/channel", "channel.state",
                    {{"from", std::string_view("IDLE")}, {"to", std::string_view("CONNECTING")}}),
             out);
    f.record(m.make(1000, "client/channel", "channel.state",
                    {{"from", std::string_view("CONNECTING")}, {"to", std::string_view("READY")}}),
             out);
    REQUIRE(out.find(R"({"ph":"C","pid":1,"tid":0,"name":"client connectivity","ts":0.000,"args":{"state":1}})") !=
            std::string::npos);
    REQUIRE(out.find(R"({"ph":"C","pid":1,"tid":0,"name":"client connectivity","ts":1.000,"args":{"state":2}})") !=
            std::string::npos);
    REQUIRE(out.find(R"({"ph":"E","pid":1,"tid":1,"name":"","ts":1.000},)" "\n"
                     R"({"ph":"B","pid":1,"tid":1,"name":"READY","ts":1.000,)") != std::string::npos);
    REQUIRE(connectivity_level("TRANSIENT_FAILURE") == 3);
}

TEST_CASE("chrome: a violation is a global instant of the run", "[trace][chrome]") {
    std::string out;
    ChromeFormat f(on_machine());
    f.begin(out);
    f.violation({Instant::at(Duration::milliseconds(121)), "expect restart_a succeeds", "EADDRINUSE", {}}, out);
    f.end(Instant::at(Duration::milliseconds(121)), out);
    REQUIRE(out.find(R"({"ph":"i","pid":1,"tid":1,"name":"VIOLATION: expect restart_a succeeds","ts":121000.000,"s":"g",)"
                     R"("args":{"expectation":"expect restart_a succeeds","what":"EADDRINUSE"}})") != std::string::npos);
    REQUIRE(out.find(R"("name":"run")") != std::string::npos);
}
