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
    void on_record(const TraceRecordView& r) override { lines.push_back(format_trace_record(r)); }
};
}  // namespace

TEST_CASE("a record renders as one text line", "[trace]") {
    REQUIRE(format_trace_record(sample()) == "1.250000000 host-a/kernel tcp.state sock=3 to=ESTABLISHED");
    TraceRecord quoted{Instant::start(), "s", "k", {{"msg", std::string("a \"b\"")}, {"e", std::string()}}};
    REQUIRE(format_trace_record(quoted) == R"(0.000000000 s k msg="a \"b\"" e="")");
}

TEST_CASE("the trace hash folds the canonical encoding word by word", "[trace]") {
    Trace empty;
    REQUIRE(empty.hash() == Fnv1a64::offset_basis);
    REQUIRE(format_trace_hash(empty.hash()) == "cbf29ce484222325");
    // Rebuild the canonical encoding by hand for one record (see trace.cc).
    TraceHasher h;
    h.add_u64(1'250'000'000);
    h.add_string("host-a/kernel");
    h.add_string("tcp.state");
    h.add_u64(2);
    h.add_string("sock");
    h.add_u64(0);
    h.add_u64(3);
    h.add_string("to");
    h.add_u64(1);
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

TEST_CASE("a string is its length then little-endian words, the last zero-padded", "[trace]") {
    TraceHasher by_string;
    by_string.add_string("abcdefghi");
    TraceHasher by_hand;
    by_hand.add_u64(9);
    by_hand.add_u64(0x6867666564636261ULL);  // "abcdefgh"
    by_hand.add_u64(0x69);                   // "i"
    REQUIRE(by_string.value() == by_hand.value());
    TraceHasher other;
    other.add_string("abcdefgh");
    REQUIRE(other.value() != by_string.value());
}

TEST_CASE("a label is hashed by its code and shown as its text, so rewording it keeps the hash", "[trace]") {
    auto append_why = [](Trace& t, TraceLabel why) {
        const TraceFieldView fields[] = {{"why", why}};
        t.append(TraceRecordView{Instant::start(), "k", "tcp.state", fields});
    };
    Trace a, b, c;
    a.retain_records(true);
    append_why(a, TraceLabel{7, "FIN sent"});
    append_why(b, TraceLabel{7, "our FIN went out"});
    append_why(c, TraceLabel{8, "FIN sent"});
    REQUIRE(a.hash() == b.hash());
    REQUIRE(a.hash() != c.hash());
    REQUIRE(format_trace_record(a.records().at(0)) == "0.000000000 k tcp.state why=\"FIN sent\"");
    REQUIRE(a.records().at(0).field("why") == "FIN sent");
}

TEST_CASE("a record's views need only live for the call: retained records own their text", "[trace]") {
    Trace t;
    t.retain_records(true);
    {
        std::string source = "host/kernel";
        std::string address = "127.0.0.1:5000";
        const TraceFieldView fields[] = {{"local", std::string_view(address)}, {"sock", std::int64_t{4}}};
        t.append(TraceRecordView{Instant::at(1_ms), source, "tcp.state", fields});
    }
    REQUIRE(format_trace_record(t.records().at(0)) == "0.001000000 host/kernel tcp.state local=127.0.0.1:5000 sock=4");
}
