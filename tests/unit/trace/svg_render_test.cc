#include "sim/trace/svg_render.h"

#include "tests/support/catch.h"

using namespace netsim;
using namespace netsim::trace;

TEST_CASE("svg: a standalone document with a lifeline head per lifeline and escaped text", "[trace][svg]") {
    SequenceDiagram d;
    d.title = "a <race> & more";
    d.lifelines = {{"a", "server on machine"}, {"client", "channel on machine"}};
    d.rows.push_back(Row{RowKind::arrow, RowStyle::syn, Instant::start(), 1, 0, "SYN", {":5000 \u2192 :80"}, 1});
    d.rows.push_back(Row{RowKind::box, RowStyle::error, Instant::start(), 0, -1, "start failed: EADDRINUSE :80",
                         {"held by x"}, 1});
    std::string out;
    append_svg(out, d);
    REQUIRE(out.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\""));
    REQUIRE(out.ends_with("</svg>\n"));
    CHECK(out.find("a &lt;race&gt; &amp; more") != std::string::npos);
    CHECK(out.find(">server on machine</text>") != std::string::npos);
    CHECK(out.find(">channel on machine</text>") != std::string::npos);
    CHECK(out.find("stroke=\"#1f5fbf\"") != std::string::npos);  // the SYN's blue
    CHECK(out.find("start failed: EADDRINUSE :80") != std::string::npos);
    CHECK(out.find("held by x") != std::string::npos);
}
