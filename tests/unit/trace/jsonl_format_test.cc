#include "sim/trace/jsonl_format.h"

#include "sim/trace/append_text.h"
#include "tests/support/catch.h"
#include "tests/unit/trace/sample_records.h"

using namespace netsim;
using namespace netsim::trace;
using netsim::testing::RecordMaker;
using netsim::testing::v4;
using netsim::testing::v6_loopback;

TEST_CASE("a jsonl record is one object: t_ns, source, kind, fields in order", "[trace][jsonl]") {
    RecordMaker m;
    std::string out;
    JsonlFormat f;
    f.record(m.segment(12'718'137, v4(127, 0, 0, 1, 37958), v6_loopback(80), 3, "SYN|ACK", 0), out);
    f.record(m.make(5, "runner", "run.decided", {}), out);
    REQUIRE(out ==
            R"({"t_ns":12718137,"source":"net","kind":"tx","fields":{"from":"machine","to":"machine",)"
            R"("src":"127.0.0.1:37958","dst":"[::1]:80","flags":"SYN|ACK","bytes":0}})"
            "\n"
            R"({"t_ns":5,"source":"runner","kind":"run.decided","fields":{}})"
            "\n");
}

TEST_CASE("a jsonl violation is an oracle record", "[trace][jsonl]") {
    std::string out;
    JsonlFormat f;
    f.violation({Instant::at(Duration::milliseconds(121)), "expect restart_a succeeds", "EADDRINUSE", {}}, out);
    REQUIRE(out ==
            R"({"t_ns":121000000,"source":"oracle","kind":"violation","fields":{"expectation":"expect restart_a succeeds","what":"EADDRINUSE"}})"
            "\n");
}

TEST_CASE("JSON strings escape quotes, backslashes and control characters", "[trace][jsonl]") {
    std::string out;
    append_json_string(out, "a \"q\" \\ \n\t\x01 \x7f");
    REQUIRE(out == R"("a \"q\" \\ \n\t\u0001 )" "\x7f\"");
}

TEST_CASE("JSON strings keep UTF-8 and replace bytes that are not UTF-8", "[trace][jsonl]") {
    std::string out;
    append_json_string(out, "caf\xc3\xa9 \xff \xe2\x82");
    REQUIRE(out == "\"caf\xc3\xa9 \\ufffd \\ufffd\\ufffd\"");
}
