#include "sim/kernel/connection_table.h"

#include "sim/core/rng.h"
#include "tests/support/catch.h"

#include <map>

using namespace netsim;
using namespace netsim::kernel;

TEST_CASE("the connection table agrees with an ordered map over random adds and removes", "[connection_table]") {
    // Few distinct ports and addresses, so probe runs collide, wrap around and shift back.
    Rng rng(42);
    ConnectionTable table;
    std::map<FourTuple, SocketId> reference;
    auto random_tuple = [&] {
        const auto v4 = [&] { return net::IpAddress::v4(127, 0, 0, static_cast<std::uint8_t>(1 + rng.below(3))); };
        return FourTuple{v4(), static_cast<net::Port>(40000 + rng.below(40)), v4(), static_cast<net::Port>(80 + rng.below(3))};
    };
    for (std::uint32_t step = 0; step < 50'000; ++step) {
        const FourTuple t = random_tuple();
        const bool present = reference.count(t) > 0;
        if (rng.below(2) == 0) {
            REQUIRE(table.add(t, SocketId{step}) == !present);
            if (!present) reference[t] = SocketId{step};
        } else {
            REQUIRE(table.remove(t) == present);
            reference.erase(t);
        }
        REQUIRE(table.size() == reference.size());
        const FourTuple probe = random_tuple();
        const auto found = table.find(probe);
        const auto it = reference.find(probe);
        REQUIRE(found.has_value() == (it != reference.end()));
        if (found) REQUIRE(found->value == it->second.value);
    }
    for (const auto& [t, id] : reference) REQUIRE(table.find(t)->value == id.value);
}

TEST_CASE("IPv4 and IPv6 tuples with the same bytes are different connections", "[connection_table]") {
    ConnectionTable table;
    const FourTuple v4{net::IpAddress::v4(0, 0, 0, 1), 1000, net::IpAddress::v4(0, 0, 0, 1), 80};
    std::array<std::uint8_t, 16> one{};
    one[15] = 1;
    const FourTuple v6{net::IpAddress::v6(one), 1000, net::IpAddress::v6(one), 80};
    REQUIRE(table.add(v4, SocketId{1}));
    REQUIRE(!table.find(v6));
    REQUIRE(table.add(v6, SocketId{2}));
    REQUIRE(table.find(v4)->value == 1);
    REQUIRE(table.find(v6)->value == 2);
}
