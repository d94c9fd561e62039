#include "sim/trace/text_format.h"

#include "sim/trace/trace_writer.h"
#include "tests/support/catch.h"
#include "tests/unit/trace/sample_records.h"

using namespace netsim;
using namespace netsim::trace;
using netsim::testing::RecordMaker;
using netsim::testing::v4;

TEST_CASE("the text timeline aligns instant, source, kind and fields", "[trace][text]") {
    RecordMaker m;
    std::string out;
    TextFormat f;
    f.record(m.make(121'000'000, "a", "server.start",
                    {{"result", TraceLabel{98, "EADDRINUSE"}}, {"port", std::int64_t{42293}}}),
             out);
    f.record(m.make(1'500'000'001, "machine/kernel", "tcp.state",
                    {{"sock", std::int64_t{4}}, {"why", std::string_view("SYN-ACK received")},
                     {"local", v4(127, 0, 0, 1, 37958)}}),
             out);
    f.record(m.make(12'000'000'000, "runner", "run.decided", {}), out);
    REQUIRE(out ==
            "    0.121000000s  a                  server.start       result=EADDRINUSE port=42293\n"
            "    1.500000001s  machine/kernel     tcp.state          sock=4 why=\"SYN-ACK received\" local=127.0.0.1:37958\n"
            "   12.000000000s  runner             run.decided\n");
}

TEST_CASE("a longer source widens the column from then on", "[trace][text]") {
    RecordMaker m;
    std::string out;
    TextFormat f;
    f.record(m.make(0, "client/subchannel-long", "k", {{"x", std::int64_t{1}}}), out);
    f.record(m.make(0, "a", "k", {{"x", std::int64_t{2}}}), out);
    REQUIRE(out ==
            "    0.000000000s  client/subchannel-long  k                  x=1\n"
            "    0.000000000s  a                       k                  x=2\n");
}

TEST_CASE("a violation is its own line after the records of its instant", "[trace][text]") {
    RecordMaker m;
    std::string out;
    TraceOutput output(out);
    TraceWriter w(std::make_unique<TextFormat>(), output);
    w.mark({Instant::at(Duration::milliseconds(121)), "expect restart_a succeeds", "restart_a failed with EADDRINUSE", {}});
    w.on_record(m.make(121'000'000, "a", "server.start", {{"result", std::string_view("EADDRINUSE")}}));
    w.on_record(m.make(121'000'000, "timeline", "step.done", {{"step", std::string_view("restart_a")}}));
    w.on_record(m.make(131'000'000, "timeline", "step.run", {{"step", std::string_view("rpcs")}}));
    REQUIRE(w.finish());
    REQUIRE(out ==
            "    0.121000000s  a                  server.start       result=EADDRINUSE\n"
            "    0.121000000s  timeline           step.done          step=restart_a\n"
            "!!  0.121000000s  VIOLATION          expect restart_a succeeds: restart_a failed with EADDRINUSE\n"
            "    0.131000000s  timeline           step.run           step=rpcs\n");
}

TEST_CASE("a violation after the last record is written at the end", "[trace][text]") {
    std::string out;
    TraceOutput output(out);
    TraceWriter w(std::make_unique<TextFormat>(), output);
    w.mark({Instant::at(Duration::seconds(5)), "expect a receives rpcs", "", {}});
    REQUIRE(w.finish());
    REQUIRE(out == "!!  5.000000000s  VIOLATION          expect a receives rpcs\n");
}
