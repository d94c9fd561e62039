#include "sim/core/small_vector.h"

#include "sim/core/rng.h"
#include "tests/support/catch.h"

#include <memory>
#include <string>
#include <vector>

using namespace netsim;

TEST_CASE("a small vector agrees with std::vector over random pushes, pops and erasures", "[small_vector]") {
    Rng rng(7);
    SmallVector<std::string, 2> small;
    std::vector<std::string> reference;
    for (int step = 0; step < 20'000; ++step) {
        switch (rng.below(4)) {
        case 0:
        case 1: {
            // Long enough that the strings own heap text: a bad move would show as garbage.
            std::string s = "element number " + std::to_string(step);
            small.push_back(s);
            reference.push_back(s);
            break;
        }
        case 2:
            if (!reference.empty()) {
                small.pop_back();
                reference.pop_back();
            }
            break;
        default:
            if (!reference.empty()) {
                const std::size_t at = rng.below(reference.size());
                small.erase(small.begin() + at);
                reference.erase(reference.begin() + static_cast<std::ptrdiff_t>(at));
            }
        }
        REQUIRE(small.size() == reference.size());
        REQUIRE(std::vector<std::string>(small.begin(), small.end()) == reference);
    }
}

TEST_CASE("a small vector keeps up to N elements inline and spills beyond", "[small_vector]") {
    SmallVector<int, 2> v;
    const void* self = &v;
    const void* self_end = &v + 1;
    auto inline_storage = [&] { return self <= static_cast<const void*>(v.begin()) && static_cast<const void*>(v.begin()) < self_end; };
    v.push_back(1);
    v.push_back(2);
    REQUIRE(inline_storage());
    REQUIRE(v.capacity() == 2);
    v.push_back(3);
    REQUIRE_FALSE(inline_storage());
    REQUIRE(v.capacity() == 4);
    REQUIRE(std::vector<int>(v.begin(), v.end()) == std::vector<int>{1, 2, 3});
    // Pushing one of its own elements while growing copies it before the storage moves.
    v.push_back(4);
    v.push_back(v[0]);
    REQUIRE(std::vector<int>(v.begin(), v.end()) == std::vector<int>{1, 2, 3, 4, 1});
}

TEST_CASE("a small vector moves and copies, inline or spilled, with move-only elements", "[small_vector]") {
    for (int n : {1, 2, 5}) {
        SmallVector<std::unique_ptr<int>, 2> a;
        for (int i = 0; i < n; ++i) a.push_back(std::make_unique<int>(i));
        SmallVector<std::unique_ptr<int>, 2> b(std::move(a));
        REQUIRE(a.empty());
        REQUIRE(b.size() == static_cast<std::size_t>(n));
        for (int i = 0; i < n; ++i) REQUIRE(*b[i] == i);
        SmallVector<std::unique_ptr<int>, 2> c;
        c.push_back(std::make_unique<int>(99));
        c = std::move(b);
        REQUIRE(c.size() == static_cast<std::size_t>(n));
        REQUIRE(*c.back() == n - 1);
    }
    SmallVector<std::string, 1> s;
    s.push_back("first");
    s.push_back("second");
    SmallVector<std::string, 1> copy = s;
    s[0] = "changed";
    REQUIRE(copy[0] == "first");
    REQUIRE(copy[1] == "second");
    REQUIRE(erase(copy, std::string("first")) == 1);
    REQUIRE(copy.size() == 1);
    REQUIRE(copy[0] == "second");
}
