#include "sim/core/trace.h"

#include "sim/core/simulation.h"
#include "tests/support/catch.h"

#include <algorithm>
#include <vector>

using namespace netsim;
using namespace netsim::literals;

namespace {
TraceRecord sample(std::string kind = "tcp.state") {
    return TraceRecord{Instant::at(1_s + 250_ms), "host-a/kernel", std::move(kind),
                       {{"sock", std::int64_t{3}}, {"to", std::string("ESTABLISHED")}}};
}

// An IPv4 endpoint a.0.0.d:port, built field by field as a reporter's would be.
TraceEndpoint v4_endpoint(std::uint8_t a, std::uint8_t d, std::uint16_t port) {
    TraceEndpoint endpoint;
    endpoint.bytes[12] = a;
    endpoint.bytes[15] = d;
    endpoint.port = port;
    return endpoint;
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
    // Rebuild the canonical encoding by hand for one record (see trace.cc): the source, the kind,
    // the header and the fields, four parts summed into the one word that updates the trace.
    TraceHasher source(TraceHasher::source_domain);
    source.add_string("host-a/kernel");
    TraceHasher kind(TraceHasher::kind_domain);
    kind.add_string("tcp.state");
    TraceHasher header(TraceHasher::header_domain);
    header.add_u64(1'250'000'000);
    header.add_u64(2);
    TraceHasher fields(TraceHasher::fields_domain);
    fields.add_u64(0x040000006b636f73ULL);  // "sock", length 4, tag 0 (int64)
    fields.add_u64(3);
    fields.add_u64(0x1200000000006f74ULL);  // "to", length 2, tag 1 (string)
    fields.add_string("ESTABLISHED");
    const std::uint64_t expected = TraceHasher::step(
        Trace::empty_hash, TraceHasher::record_word(source.value() + kind.value() + header.value() + fields.value()));
    Trace t;
    t.append(sample());
    REQUIRE(t.hash() == expected);
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

TEST_CASE("a long string is its marked length then little-endian words, the last zero-padded", "[trace]") {
    TraceHasher by_string(TraceHasher::fields_domain);
    by_string.add_string("abcdefghi");
    TraceHasher by_hand(TraceHasher::fields_domain);
    by_hand.add_u64(0xff00000000000009ULL);
    by_hand.add_u64(0x6867666564636261ULL);  // "abcdefgh"
    by_hand.add_u64(0x69);                   // "i"
    REQUIRE(by_string.value() == by_hand.value());
    TraceHasher other(TraceHasher::fields_domain);
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

TEST_CASE("an endpoint is hashed as one word (IPv4) or three (IPv6) and printed only when asked", "[trace]") {
    TraceEndpoint v4;
    v4.bytes[12] = 127;
    v4.bytes[15] = 1;
    v4.port = 8080;
    REQUIRE(endpoint_text(v4) == "127.0.0.1:8080");
    TraceEndpoint v6 = v4;
    v6.v6 = true;
    v6.bytes = {};
    v6.bytes[15] = 1;
    REQUIRE(endpoint_text(v6) == "[::1]:8080");
    v6.has_port = false;
    REQUIRE(endpoint_text(v6) == "::1");
    TraceEndpoint mapped = v4;
    mapped.v6 = true;
    mapped.bytes[10] = mapped.bytes[11] = 0xff;
    REQUIRE(endpoint_text(mapped) == "[::ffff:127.0.0.1]:8080");

    const std::array<TraceFieldView, 1> fields{{{"dst", v4}}};
    Trace t;
    t.retain_records(true);
    t.append(TraceRecordView{Instant::start(), "net", "tx", fields});
    TraceHasher source(TraceHasher::source_domain);
    source.add_string("net");
    TraceHasher kind(TraceHasher::kind_domain);
    kind.add_string("tx");
    TraceHasher header(TraceHasher::header_domain);
    header.add_u64(0);
    header.add_u64(1);
    TraceHasher words(TraceHasher::fields_domain);
    words.add_key("dst", 3);
    words.add_u64(1u << 1 | 8080u << 16 | std::uint64_t{0x0100007f} << 32);  // IPv4: one word
    REQUIRE(t.hash() == TraceHasher::step(Trace::empty_hash, TraceHasher::record_word(source.value() + kind.value() +
                                                                                       header.value() + words.value())));
    // Kept records and text lines carry the text form.
    REQUIRE(t.records()[0].field("dst") == "127.0.0.1:8080");
    REQUIRE(format_trace_record(t.records()[0]) == "0.000000000 net tx dst=127.0.0.1:8080");
    // The same text as a string is a different record.
    const std::array<TraceFieldView, 1> as_text{{{"dst", std::string_view("127.0.0.1:8080")}}};
    Trace u;
    u.append(TraceRecordView{Instant::start(), "net", "tx", as_text});
    REQUIRE(u.hash() != t.hash());
    // An IPv6 endpoint: the flags and port, then its 16 bytes as two words.
    const std::array<TraceFieldView, 1> v6_fields{{{"dst", v6}}};  // [::1] with has_port off (see above)
    Trace w;
    w.append(TraceRecordView{Instant::start(), "net", "tx", v6_fields});
    TraceHasher v6_words(TraceHasher::fields_domain);
    v6_words.add_key("dst", 3);
    v6_words.add_u64(1u | 8080u << 16);  // v6, no port shown (the port is still hashed)
    v6_words.add_u64(0);
    v6_words.add_u64(std::uint64_t{1} << 56);
    REQUIRE(w.hash() == TraceHasher::step(Trace::empty_hash, TraceHasher::record_word(source.value() + kind.value() +
                                                                                       header.value() + v6_words.value())));
}

TEST_CASE("names hashed ahead (a source when built, a kind at compile time) give the record the same hash", "[trace]") {
    // The compile-time hashing of a string agrees with the run-time one at every length.
    const std::string text = "abcdefghijklmnopqrstuvwxyz0123456789";
    for (std::size_t n = 0; n <= text.size(); ++n) {
        TraceHasher fast(TraceHasher::fields_domain), constexpr_path(TraceHasher::fields_domain);
        fast.add_string(std::string_view(text.data(), n));
        constexpr_path.add_string_constexpr(std::string_view(text.data(), n));
        INFO("length " << n);
        REQUIRE(fast.value() == constexpr_path.value());
    }
    static_assert(kind_part_of("tcp.state") != 0, "computed by the compiler");
    const std::string kind_at_run_time = "tcp.state";
    constexpr std::uint64_t kind_at_compile_time = kind_part_of("tcp.state");
    REQUIRE(kind_part_of(kind_at_run_time) == kind_at_compile_time);
    const TraceSource source("host-a/kernel");
    Simulation sim_ahead(SimulationOptions{});
    sim_ahead.record(source, "tcp.state", {{"sock", std::int64_t{3}}, {"to", std::string_view("ESTABLISHED")}});
    Simulation sim_text(SimulationOptions{});
    sim_text.record(std::string_view("host-a/kernel"), std::string_view("tcp.state"),
                    {{"sock", std::int64_t{3}}, {"to", std::string_view("ESTABLISHED")}});
    REQUIRE(sim_ahead.trace().hash() == sim_text.trace().hash());
    Trace owned;
    owned.append(TraceRecord{Instant::start(), "host-a/kernel", "tcp.state",
                             {{"sock", std::int64_t{3}}, {"to", std::string("ESTABLISHED")}}});
    REQUIRE(owned.hash() == sim_text.trace().hash());
}

TEST_CASE("a key carries its value's tag in its first word, so the same key and value under two types differ", "[trace]") {
    TraceHasher short_key(TraceHasher::fields_domain), short_by_hand(TraceHasher::fields_domain);
    short_key.add_key("port", 2);
    short_by_hand.add_u64(0x24000000'74726f70ULL);  // "port", length 4 | tag 2 << 4
    REQUIRE(short_key.value() == short_by_hand.value());
    TraceHasher long_key(TraceHasher::fields_domain), long_by_hand(TraceHasher::fields_domain);
    long_key.add_key("listener", 3);
    long_by_hand.add_u64(0xff03000000000008ULL);
    long_by_hand.add_u64(0x72656e657473696cULL);  // "listener"
    REQUIRE(long_key.value() == long_by_hand.value());
    TraceHasher untagged(TraceHasher::fields_domain);
    untagged.add_string("port");
    REQUIRE(untagged.value() != short_key.value());
}

TEST_CASE("a string is hashed as one word up to 7 bytes, else as its marked length and padded words", "[trace]") {
    const std::string text = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJ";
    for (std::size_t n = 0; n <= text.size(); ++n) {
        const std::string_view s(text.data(), n);
        TraceHasher by_words(TraceHasher::fields_domain);
        auto padded_word = [&](std::size_t i) {
            std::uint64_t w = 0;
            for (std::size_t b = 0; b < 8 && i + b < n; ++b) w |= std::uint64_t{static_cast<std::uint8_t>(s[i + b])} << (8 * b);
            return w;
        };
        if (n < 8) {
            by_words.add_u64(padded_word(0) | std::uint64_t{n} << 56);
        } else {
            by_words.add_u64(0xff00000000000000ULL | n);
            for (std::size_t i = 0; i < n; i += 8) by_words.add_u64(padded_word(i));
        }
        TraceHasher h(TraceHasher::fields_domain);
        h.add_string(s);
        INFO("length " << n);
        REQUIRE(h.value() == by_words.value());
    }
}

TEST_CASE("a part's words are mixed with their positions: a changed or moved word changes the part", "[trace]") {
    const auto part_of = [](std::initializer_list<std::uint64_t> words) {
        TraceHasher h(TraceHasher::fields_domain);
        for (std::uint64_t w : words) h.add_u64(w);
        return h.value();
    };
    const std::uint64_t base = part_of({1, 2, 3});
    REQUIRE(base == part_of({1, 2, 3}));
    REQUIRE(base != part_of({2, 1, 3}));
    REQUIRE(base != part_of({1, 2, 4}));
    REQUIRE(base != part_of({1, 2, 3, 0}));
    // The same words in another part's domain are another part.
    TraceHasher other(TraceHasher::header_domain);
    for (std::uint64_t w : {1, 2, 3}) other.add_u64(w);
    REQUIRE(other.value() != base);
    // Each mix is a bijection of its word: no two words of a sample collide at one position.
    std::vector<std::uint64_t> mixed;
    for (std::uint64_t w = 0; w < 4096; ++w) mixed.push_back(TraceHasher::mix(w << 52 | w, TraceHasher::fields_domain));
    std::sort(mixed.begin(), mixed.end());
    REQUIRE(std::adjacent_find(mixed.begin(), mixed.end()) == mixed.end());
}

TEST_CASE("fields hashed as they are added give the record the hash their views give, observed or not", "[trace]") {
    const TraceEndpoint endpoint = v4_endpoint(127, 1, 4000);
    const TraceSource source("host-a/kernel");
    const auto record_listed = [&](Simulation& sim) {
        TraceFieldList<6> fields;
        fields.add("sock", std::int64_t{7});
        fields.add("long_key_ns", std::int64_t{99});  // 8 bytes or more: hashed from its text
        fields.add("to", std::string_view("ESTABLISHED"));
        fields.add("why", TraceLabel{3, "SYN+ACK arrived"});
        fields.add("local", endpoint);
        fields.add(TraceFieldView{"n", std::int64_t{-1}});  // through the variant
        sim.record(source, "tcp.state", fields);
        return sim.trace().hash();
    };
    Simulation by_views(SimulationOptions{});
    by_views.record(std::string_view("host-a/kernel"), std::string_view("tcp.state"),
                    {{"sock", std::int64_t{7}},
                     {"long_key_ns", std::int64_t{99}},
                     {"to", std::string_view("ESTABLISHED")},
                     {"why", TraceLabel{3, "SYN+ACK arrived"}},
                     {"local", endpoint},
                     {"n", std::int64_t{-1}}});
    Simulation unobserved(SimulationOptions{});
    REQUIRE_FALSE(unobserved.trace().observed());
    REQUIRE(record_listed(unobserved) == by_views.trace().hash());
    Simulation observed(SimulationOptions{});
    observed.trace().retain_records(true);
    REQUIRE(record_listed(observed) == by_views.trace().hash());
    REQUIRE(format_trace_record(observed.trace().records().at(0)) ==
            "0.000000000 host-a/kernel tcp.state sock=7 long_key_ns=99 to=ESTABLISHED why=\"SYN+ACK arrived\" local=127.0.0.1:4000 n=-1");
}

TEST_CASE("fields added by a callable give the record the hash their views give, observed or not", "[trace]") {
    // Simulation::record<N>(source, kind, add_fields) hashes with a builder that keeps no views
    // when nobody observes the trace, and with a TraceFieldList otherwise: both must give the
    // hash of the same record reported as views, and the observed one must show its fields.
    const TraceEndpoint endpoint = v4_endpoint(10, 2, 443);
    const TraceSource source("client/channel");
    const auto record_by_callable = [&](Simulation& sim, bool with_optional) {
        sim.record<6>(source, "rpc.done", [&](auto& fields) {
            fields.add("rpc", std::int64_t{12});
            fields.add("latency_ns", std::int64_t{1'000'000});  // a key of 8 bytes or more
            fields.add("status", std::string_view("OK"));
            fields.add("why", TraceLabel{5, "answered"});
            if (with_optional) fields.add("address", endpoint);
            fields.add("n", TraceValueView{std::int64_t{-3}});  // through the variant
        });
        return sim.trace().hash();
    };
    for (const bool with_optional : {false, true}) {
        Simulation by_views(SimulationOptions{});
        std::vector<TraceFieldView> views{{"rpc", std::int64_t{12}},
                                          {"latency_ns", std::int64_t{1'000'000}},
                                          {"status", std::string_view("OK")},
                                          {"why", TraceLabel{5, "answered"}}};
        if (with_optional) views.push_back({"address", endpoint});
        views.push_back({"n", std::int64_t{-3}});
        by_views.record(std::string_view("client/channel"), std::string_view("rpc.done"), std::span(views));
        Simulation unobserved(SimulationOptions{});
        REQUIRE(record_by_callable(unobserved, with_optional) == by_views.trace().hash());
        Simulation observed(SimulationOptions{});
        observed.trace().retain_records(true);
        REQUIRE(record_by_callable(observed, with_optional) == by_views.trace().hash());
        REQUIRE(format_trace_record(observed.trace().records().at(0)) ==
                std::string("0.000000000 client/channel rpc.done rpc=12 latency_ns=1000000 status=OK why=answered") +
                    (with_optional ? " address=10.0.0.2:443" : "") + " n=-3");
    }
}

TEST_CASE("an unhashed trace nobody observes skips its records; sinks and retention still see them", "[trace]") {
    // What `netsim fuzz` does for each seed (RunOptions::hash_trace = false): a record's fields
    // are not even built, unless a sink (an oracle) or retention looks at them.
    const TraceSource source("host-a/kernel");
    int built = 0;
    const auto report = [&](Simulation& sim) {
        sim.record<1>(source, "tcp.state", [&](auto& fields) {
            ++built;
            fields.add("sock", std::int64_t{3});
        });
        sim.record(source, "sys.close", {{"fd", std::int64_t{4}}});
    };
    Simulation unobserved(SimulationOptions{});
    unobserved.trace().stop_hashing();
    report(unobserved);
    REQUIRE(built == 0);
    REQUIRE_FALSE(unobserved.trace().hashing());

    Simulation watched(SimulationOptions{});
    watched.trace().stop_hashing();
    CollectingSink sink;
    watched.trace().add_sink(&sink);
    watched.trace().retain_records(true);
    report(watched);
    REQUIRE(built == 1);
    REQUIRE(sink.lines == std::vector<std::string>{"0.000000000 host-a/kernel tcp.state sock=3",
                                                   "0.000000000 host-a/kernel sys.close fd=4"});
    REQUIRE(watched.trace().records().size() == 2);

    // Hashing on (the default) is what every other run does.
    Simulation hashed(SimulationOptions{});
    report(hashed);
    REQUIRE(built == 2);
    REQUIRE(hashed.trace().record_count() == 2);
    REQUIRE(hashed.trace().hash() != Trace::empty_hash);
}
