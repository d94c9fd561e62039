#include "sim/trace/trace_writer.h"

#include "scenarios/builder.h"
#include "scenarios/runner.h"
#include "sim/trace/jsonl_format.h"
#include "tests/support/catch.h"

#include <algorithm>

using namespace netsim;
using namespace netsim::literals;
using namespace netsim::scenarios;

namespace {

Scenario one_channel() {
    ScenarioBuilder b("one_channel");
    b.host("machine");
    b.server("a").on("machine").at("127.0.0.1:0").started();
    b.channel("client").on("machine").policy("pick_first").targets({"a"});
    b.at(10_ms).as("first").rpc("client");
    b.expect_receives("a").within(1_s).after("first");
    return b.build();
}

}  // namespace

TEST_CASE("a writer attached to a run sees every record the run hashes, and changes nothing", "[trace][writer]") {
    const Scenario s = one_channel();
    const RunReport plain = run_scenario(s, 7);
    std::string out;
    trace::TraceOutput output(out);
    trace::TraceWriter writer(std::make_unique<trace::JsonlFormat>(), output);
    RunOptions options;
    options.sink = &writer;
    const RunReport traced = run_scenario(s, 7, options);
    REQUIRE(writer.finish());
    REQUIRE(traced.trace_hash == plain.trace_hash);
    REQUIRE(writer.records_seen() == traced.records);
    REQUIRE(static_cast<std::uint64_t>(std::count(out.begin(), out.end(), '\n')) == traced.records);
    REQUIRE(out.find("\"kind\":\"channel.create\"") != std::string::npos);  // reported while the world is built
}

TEST_CASE("a writer's filter drops records before the format sees them", "[trace][writer]") {
    const Scenario s = one_channel();
    std::string out;
    trace::TraceOutput output(out);
    trace::TraceFilterSpec spec;
    spec.kinds = {"server.*"};
    trace::TraceWriter writer(std::make_unique<trace::JsonlFormat>(), output, trace::TraceFilter(spec, {}));
    RunOptions options;
    options.sink = &writer;
    const RunReport r = run_scenario(s, 7, options);
    REQUIRE(writer.finish());
    REQUIRE(writer.records_seen() == r.records);
    REQUIRE(writer.records_written() == 1);  // a's start
    REQUIRE(out.starts_with("{\"t_ns\":0,\"source\":\"a\",\"kind\":\"server.start\""));
}
