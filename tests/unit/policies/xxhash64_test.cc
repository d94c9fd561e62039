// XXH64 against the reference implementation: "" and "abc" are xxHash's own sanity values; the
// others were computed with libxxhash 0.8.1's XXH64(seed 0) and cover the 0..3, 4..7, 8..31 and
// 32+ byte paths, and ring entry keys as gRFC A42 forms them ("<address>_<k>").
#include "policies/xxhash64.h"

#include "tests/support/catch.h"

#include <string>

using netsim::policies::xxhash64;

TEST_CASE("xxhash64 matches the reference XXH64 with seed 0 (gRFC A42's ring hash)", "[policies][xxhash64]") {
    REQUIRE(xxhash64("") == 0xef46db3751d8e999ULL);
    REQUIRE(xxhash64("a") == 0xd24ec4f1a98c6e5bULL);
    REQUIRE(xxhash64("abc") == 0x44bc2cf5ad770999ULL);
    REQUIRE(xxhash64("10.0.0.2:50051_0") == 0xe512e006d9642ea9ULL);
    REQUIRE(xxhash64("[fd00::2]:50051_17") == 0x74aad34b2a5a4003ULL);
    REQUIRE(xxhash64("Nobody inspects the spammish repetition") == 0xfbcea83c8a378bf1ULL);
    REQUIRE(xxhash64(std::string(100, 'x')) == 0x92f0de5a88a3c094ULL);
    REQUIRE(xxhash64("0123456789abcdef0123456789abcdef") == 0x642a94958e71e6c5ULL);
}

TEST_CASE("xxhash64 takes a seed as XXH64 does (libxxhash 0.8.1: XXH64(\"abc\", 3, 1))", "[policies][xxhash64]") {
    REQUIRE(xxhash64("abc", 1) == 0xbea9ca8199328908ULL);
}
