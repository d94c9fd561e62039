#include "sim/core/trace.h"

#include "tests/support/catch.h"

using namespace netsim;
using namespace netsim::literals;

namespace {
TraceRecord sample(std::string kind = "tcp.state") {
    return TraceRecord{Instant::at(1_s + 250_ms), "host-a/kernel", std::move(kind),
                       {{"sock", std::int64_t{3}}, {"to", std::string("ESTABLISHED")}}};
}

struct CollectingSink : TraceSink {
    std::vector<std::string> lines;
    void on_record(const TraceRecord& r) override { lines.push_back(format_trace_record(r)); }
};
}  // namespace

TEST_CASE("a record renders as one text line", "[trace]") {
    REQUIRE(format_trace_record(sample()) == "1.250000000 host-a/kernel tcp.state sock=3 to=ESTABLISHED");
    TraceRecord quoted{Instant::start(), "s", "k", {{"msg", std::string("a \"b\"")}, {"e", std::string()}}};
    REQUIRE(format_trace_record(quoted) == R"(0.000000000 s k msg="a \"b\"" e="")");
}

TEST_CASE("the trace hash is FNV-1a over the canonical encoding", "[trace]") {
    Trace empty;
    REQUIRE(empty.hash() == Fnv1a64::offset_basis);
    REQUIRE(format_trace_hash(empty.hash()) == "cbf29ce484222325");
    // Rebuild the canonical encoding by hand for one record (see trace.cc).
    Fnv1a64 h;
    h.add_u64(1'250'000'000);
    h.add_string("host-a/kernel");
    h.add_string("tcp.state");
    h.add_u64(2);
    h.add_string("sock");
    h.add_byte(0);
    h.add_u64(3);
    h.add_string("to");
    h.add_byte(1);
    h.add_string("ESTABLISHED");
    Trace t;
    t.append(sample());
    REQUIRE(t.hash() == h.value());
}

TEST_CASE("the hash depends on every part of every record and on their order", "[trace]") {
    auto hash_of = [](std::vector<TraceRecord> records) {
        Trace t;
        for (auto& r : records) t.append(std::move(r));
        return t.hash();
    };
    const std::uint64_t base = hash_of({sample("a"), sample("b")});
    REQUIRE(base == hash_of({sample("a"), sample("b")}));
    REQUIRE(base != hash_of({sample("b"), sample("a")}));
    TraceRecord later = sample("a");
    later.at = later.at + 1_ns;
    REQUIRE(base != hash_of({later, sample("b")}));
    TraceRecord as_string = sample("a");
    as_string.fields[0].value = std::string("3");
    REQUIRE(base != hash_of({as_string, sample("b")}));
}

TEST_CASE("sinks see every record; retention is optional", "[trace]") {
    Trace t;
    CollectingSink sink;
    t.add_sink(&sink);
    t.append(sample("one"));
    t.retain_records(true);
    t.append(sample("two"));
    t.remove_sink(&sink);
    t.append(sample("three"));
    REQUIRE(sink.lines.size() == 2);
    REQUIRE(t.records().size() == 2);
    REQUIRE(t.record_count() == 3);
}
