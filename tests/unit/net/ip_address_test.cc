#include "sim/net/ip_address.h"

#include "tests/support/catch.h"

using netsim::net::IpAddress;
using netsim::net::IpFamily;
using netsim::net::SocketAddress;

namespace {
std::string round_trip(const char* text) {
    auto a = IpAddress::parse(text);
    REQUIRE(a.has_value());
    return a->to_string();
}
}  // namespace

TEST_CASE("IPv4 literals parse and print as dotted quads", "[ip_address]") {
    REQUIRE(round_trip("127.0.0.1") == "127.0.0.1");
    REQUIRE(round_trip("0.0.0.0") == "0.0.0.0");
    REQUIRE(IpAddress::parse("10.1.2.3")->v4_host_order() == 0x0a010203u);
    for (const char* bad : {"256.0.0.1", "1.2.3", "1.2.3.4.5", "01.2.3.4", "1..2.3", "", "a.b.c.d"})
        REQUIRE_FALSE(IpAddress::parse(bad).has_value());
}

TEST_CASE("IPv6 literals parse and print in RFC 5952 form", "[ip_address]") {
    REQUIRE(round_trip("::") == "::");
    REQUIRE(round_trip("::1") == "::1");
    REQUIRE(round_trip("2001:db8:0:0:0:0:0:1") == "2001:db8::1");
    REQUIRE(round_trip("2001:DB8::0:1") == "2001:db8::1");
    REQUIRE(round_trip("1:0:0:2:0:0:0:3") == "1:0:0:2::3");
    REQUIRE(round_trip("1:0:2:3:4:5:6:7") == "1:0:2:3:4:5:6:7");
    REQUIRE(round_trip("::ffff:127.0.0.1") == "::ffff:127.0.0.1");
    for (const char* bad : {":::", "1::2::3", "1:2:3:4:5:6:7:8:9", "12345::", "::g", "1:2:3:4:5:6:7", "1.2.3.4::"})
        REQUIRE_FALSE(IpAddress::parse(bad).has_value());
}

TEST_CASE("predicates: wildcard, loopback, v4-mapped", "[ip_address]") {
    REQUIRE(IpAddress::any(IpFamily::v4).is_unspecified());
    REQUIRE(IpAddress::any(IpFamily::v6).is_unspecified());
    REQUIRE(IpAddress::parse("127.0.0.2")->is_loopback());
    REQUIRE(IpAddress::parse("::1")->is_loopback());
    REQUIRE(IpAddress::parse("::ffff:127.0.0.1")->is_loopback());
    REQUIRE_FALSE(IpAddress::parse("10.0.0.1")->is_loopback());
    const IpAddress mapped = *IpAddress::parse("::ffff:10.0.0.1");
    REQUIRE(mapped.is_v4_mapped());
    REQUIRE(mapped.unmapped() == *IpAddress::parse("10.0.0.1"));
    REQUIRE(IpAddress::parse("10.0.0.1")->mapped_v6() == mapped);
    REQUIRE(mapped != *IpAddress::parse("10.0.0.1"));
}

TEST_CASE("socket addresses print with brackets for IPv6", "[ip_address]") {
    REQUIRE(SocketAddress{*IpAddress::parse("127.0.0.1"), 8080}.to_string() == "127.0.0.1:8080");
    REQUIRE(SocketAddress{*IpAddress::parse("::1"), 50051}.to_string() == "[::1]:50051");
    REQUIRE(fmt::format("{}", SocketAddress{IpAddress::any(IpFamily::v6), 0}) == "[::]:0");
}
