#include "sim/kernel/descriptor_table.h"

#include "tests/support/catch.h"

#include <string>
#include <vector>

using netsim::kernel::DescriptorTable;

TEST_CASE("a descriptor table finds open descriptors and visits them lowest first", "[descriptor_table]") {
    DescriptorTable<std::string> t(3);
    REQUIRE(t.find(3) == nullptr);
    t.open(3, "a");
    t.open(4, "b");
    t.open(5, "c");
    REQUIRE(*t.find(4) == "b");
    t.close(4);
    REQUIRE(t.find(4) == nullptr);
    REQUIRE(t.find(2) == nullptr);
    REQUIRE(t.find(-1) == nullptr);
    REQUIRE(t.find(6) == nullptr);
    std::vector<int> seen;
    t.for_each([&](int fd, const std::string&) { seen.push_back(fd); });
    REQUIRE(seen == std::vector<int>{3, 5});
}
