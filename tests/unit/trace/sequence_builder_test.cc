#include "sim/trace/sequence_builder.h"

#include "tests/support/catch.h"

using namespace netsim;
using namespace netsim::trace;

namespace {

Instant ms(std::int64_t n) { return Instant::at(Duration::milliseconds(n)); }

TraceRecord rec(Instant at, std::string source, std::string kind, std::vector<TraceField> fields) {
    return TraceRecord{at, std::move(source), std::move(kind), std::move(fields)};
}

TraceRecord state(Instant at, std::int64_t sock, std::string from, std::string to, std::string local, std::string remote = "") {
    std::vector<TraceField> f{{"sock", sock}, {"from", from}, {"to", to}, {"why", std::string("x")}, {"local", local}};
    if (!remote.empty()) f.push_back({"remote", remote});
    return rec(at, "machine/kernel", "tcp.state", std::move(f));
}

TraceRecord tx(Instant at, std::string src, std::string dst, std::string flags, std::int64_t bytes = 0) {
    return rec(at, "net", "tx",
               {{"from", std::string("machine")}, {"to", std::string("machine")}, {"src", src}, {"dst", dst},
                {"flags", flags}, {"bytes", bytes}});
}

Placement placement() {
    Placement p;
    p.place("a", "machine");
    p.place("client", "machine");
    return p;
}

// Server a listens on 80; channel client connects from 5000; then a stops and another
// process takes port 80, so a's restart fails.
std::vector<SequenceItem> race() {
    const std::string a80 = "127.0.0.1:80", c5000 = "127.0.0.1:5000";
    return {
        state(ms(0), 0, "CLOSED", "LISTEN", a80),
        rec(ms(0), "a", "server.start", {{"result", std::string("ok")}, {"port", std::int64_t{80}}}),
        state(ms(1), 1, "CLOSED", "SYN_SENT", c5000, a80),
        tx(ms(1), c5000, a80, "SYN"),
        rec(ms(1), "client/transport", "transport.connect", {{"address", a80}}),
        rec(ms(1), "client/channel", "channel.state", {{"from", std::string("IDLE")}, {"to", std::string("CONNECTING")}}),
        state(ms(1), 2, "CLOSED", "SYN_RECV", a80, c5000),
        tx(ms(1), a80, c5000, "SYN|ACK"),
        state(ms(1), 1, "SYN_SENT", "ESTABLISHED", c5000, a80),
        tx(ms(1), c5000, a80, "ACK"),
        tx(ms(1), c5000, a80, "ACK", 100),
        tx(ms(1), c5000, a80, "ACK", 100),
        rec(ms(10), "timeline", "step.run", {{"step", std::string("stop_a")}}),
        state(ms(10), 0, "LISTEN", "CLOSED", a80),
        tx(ms(10), a80, c5000, "FIN|ACK"),
        state(ms(10), 2, "ESTABLISHED", "FIN_WAIT1", a80, c5000),
        rec(ms(10), "a", "server.stop", {{"result", std::string("ok")}, {"port", std::int64_t{80}}}),
        state(ms(11), 2, "FIN_WAIT2", "TIME_WAIT", a80, c5000),
        state(ms(20), 7, "CLOSED", "LISTEN", a80),
        rec(ms(30), "a", "server.start", {{"result", std::string("EADDRINUSE")}, {"port", std::int64_t{80}}}),
        ViolationMark{ms(30), "expect restart succeeds", "EADDRINUSE", {"port 80 held by squatter (LISTEN since 0.020s)"}},
    };
}

}  // namespace

TEST_CASE("sequence: servers, then channels, then the other processes are the lifelines", "[trace][svg]") {
    const SequenceDiagram d = build_sequence(race(), placement(), "race");
    REQUIRE(d.lifelines.size() == 3);
    CHECK(d.lifelines[0].name == "a");
    CHECK(d.lifelines[0].caption == "server on machine");
    CHECK(d.lifelines[1].name == "client");
    CHECK(d.lifelines[2].name == "other processes");
}

TEST_CASE("sequence: a segment is an arrow between the sockets' owners; bare ACKs are left out", "[trace][svg]") {
    const SequenceDiagram d = build_sequence(race(), placement(), "race");
    std::vector<const Row*> arrows;
    for (const Row& r : d.rows)
        if (r.kind == RowKind::arrow) arrows.push_back(&r);
    REQUIRE(arrows.size() == 4);
    CHECK((arrows[0]->label == "SYN" && arrows[0]->from == 1 && arrows[0]->to == 0 && arrows[0]->style == RowStyle::syn));
    CHECK((arrows[1]->label == "SYN|ACK" && arrows[1]->from == 0 && arrows[1]->to == 1));
    CHECK((arrows[2]->label == "data 100 B" && arrows[2]->repeat == 2));  // identical arrows at one instant: once
    CHECK((arrows[3]->label == "FIN|ACK" && arrows[3]->from == 0 && arrows[3]->style == RowStyle::fin));
    CHECK(arrows[0]->detail.front() == ":5000 \u2192 :80");
}

TEST_CASE("sequence: a failed bind is a red box naming the port's holders", "[trace][svg]") {
    const SequenceDiagram d = build_sequence(race(), placement(), "race");
    const Row* failed = nullptr;
    const Row* squat = nullptr;
    for (const Row& r : d.rows) {
        if (r.kind == RowKind::box && r.style == RowStyle::error) failed = &r;
        if (r.kind == RowKind::box && r.label == "LISTEN :80") squat = &r;
    }
    REQUIRE(failed != nullptr);
    CHECK(failed->from == 0);
    CHECK(failed->label == "start failed: EADDRINUSE :80");
    CHECK(failed->detail == std::vector<std::string>{"port 80 held by squatter (LISTEN since 0.020s)"});
    REQUIRE(squat != nullptr);
    CHECK(squat->from == 2);  // another process's listener on a server's port
}

TEST_CASE("sequence: without the oracle's account, the holders come from the trace", "[trace][svg]") {
    auto items = race();
    items.pop_back();
    const SequenceDiagram d = build_sequence(items, placement(), "race");
    const Row& failed = *std::find_if(d.rows.begin(), d.rows.end(), [](const Row& r) { return r.style == RowStyle::error; });
    REQUIRE(failed.detail.size() == 2);
    CHECK(failed.detail[0] == "held by a (sock 2, TIME_WAIT since 0.011000000s)");
    CHECK(failed.detail[1] == "held by other processes (sock 7, LISTEN since 0.020000000s)");
}

TEST_CASE("sequence: TIME_WAIT is a band on the owner, the channel's states a band on its lifeline", "[trace][svg]") {
    const SequenceDiagram d = build_sequence(race(), placement(), "race");
    const auto tw = std::find_if(d.bands.begin(), d.bands.end(), [](const Band& b) { return b.time_wait; });
    REQUIRE(tw != d.bands.end());
    CHECK(tw->lifeline == 0);
    CHECK(tw->label == "TIME_WAIT :80");
    CHECK(tw->last_row == d.rows.size());  // still in TIME_WAIT at the end
    const auto st = std::find_if(d.bands.begin(), d.bands.end(), [](const Band& b) { return !b.time_wait; });
    REQUIRE(st != d.bands.end());
    CHECK((st->lifeline == 1 && st->label == "CONNECTING"));
}

TEST_CASE("sequence: a quiet stretch is one gap row; a violation is a row of its own", "[trace][svg]") {
    const SequenceDiagram d = build_sequence(race(), placement(), "race");
    std::size_t gaps = 0;
    for (const Row& r : d.rows) gaps += r.kind == RowKind::gap;
    CHECK(gaps == 5);  // 0 -> 1ms -> 10ms -> 11ms -> 20ms -> 30ms
    const auto first = std::find_if(d.rows.begin(), d.rows.end(), [](const Row& r) { return r.kind == RowKind::gap; });
    CHECK(first->label == "1.000 ms");
    CHECK(std::next(first, 1)->kind != RowKind::gap);
    CHECK(d.rows.back().kind == RowKind::violation);
    CHECK(d.rows.back().label == "expect restart succeeds: EADDRINUSE");
}

TEST_CASE("sequence: past the row limit, rows are counted, not drawn", "[trace][svg]") {
    const SequenceDiagram d = build_sequence(race(), placement(), "race", SequenceOptions{Duration::milliseconds(1), 3});
    CHECK(d.rows.size() == 3);
    CHECK(d.rows_left_out > 0);
}
