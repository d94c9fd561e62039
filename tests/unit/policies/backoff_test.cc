// The connection backoff of gRPC doc/connection-backoff.md: exact instants for a fixed seed, the
// bounds for every seed, reset, and the parameters being configurable.
#include "policies/backoff.h"

#include "tests/support/catch.h"

#include <set>
#include <vector>

using namespace netsim;
using namespace netsim::literals;
using policies::BackoffConfig;
using policies::ConnectionBackoff;

namespace {

// The retry instants (ns) of `attempts` attempts, each failing at once and the next starting at
// the previous deadline (SleepUntil(current_deadline)).
std::vector<std::int64_t> retry_instants(std::uint64_t seed, int attempts, const BackoffConfig& config = {}) {
    Rng rng = Rng(seed).stream("backoff/client");
    ConnectionBackoff backoff(config, rng);
    std::vector<std::int64_t> out;
    Instant now = Instant::start();
    for (int i = 0; i < attempts; ++i) {
        (void)backoff.start_attempt(now);
        now = backoff.retry_at();
        out.push_back(now.count_ns());
    }
    return out;
}

}  // namespace

TEST_CASE("the first attempt: deadline INITIAL_BACKOFF without jitter, may run MIN_CONNECT_TIMEOUT (connection-backoff.md)",
          "[policies][backoff]") {
    Rng rng(7);
    ConnectionBackoff backoff(BackoffConfig{}, rng);
    REQUIRE(backoff.start_attempt(Instant::at(5_s)) == Instant::at(25_s));  // max(now + 1 s, now + 20 s)
    REQUIRE(backoff.retry_at() == Instant::at(6_s));
    REQUIRE(backoff.current_backoff() == 1_s);
}

TEST_CASE("backoff retry instants for seed 42 are fixed (golden, connection-backoff.md defaults)", "[policies][backoff]") {
    const std::vector<std::int64_t> golden{
        1'000'000'000,   2'669'351'833,   5'384'231'333,   9'688'914'282,   17'175'228'038,  28'715'051'189,
        42'403'725'811,  71'101'250'159,  114'191'975'802, 179'212'113'854, 267'845'181'388, 377'196'151'925,
    };
    REQUIRE(retry_instants(42, 12) == golden);
    REQUIRE(retry_instants(42, 12) == retry_instants(42, 12));
}

TEST_CASE("backoff grows by 1.6 up to 120 s, jitter within +-20 %, attempts run at least 20 s (every seed)",
          "[policies][backoff]") {
    // 1 s x 1.6^k in integer nanoseconds, capped at MAX_BACKOFF.
    const std::vector<std::int64_t> backoffs{
        1'000'000'000,  1'600'000'000,  2'560'000'000,  4'096'000'000,  6'553'600'000,   10'485'760'000,
        16'777'216'000, 26'843'545'600, 42'949'672'960, 68'719'476'736, 109'951'162'777, 120'000'000'000,
        120'000'000'000};
    std::set<std::vector<std::int64_t>> distinct;
    for (std::uint64_t seed = 0; seed < 200; ++seed) {
        Rng rng = Rng(seed).stream("backoff/client");
        ConnectionBackoff backoff(BackoffConfig{}, rng);
        Instant now = Instant::at(3_s);
        std::vector<std::int64_t> deadlines;
        for (std::size_t k = 0; k < backoffs.size(); ++k) {
            const Instant attempt_deadline = backoff.start_attempt(now);
            const std::int64_t b = backoffs[k];
            REQUIRE(backoff.current_backoff().count_ns() == b);
            const std::int64_t waited = (backoff.retry_at() - now).count_ns();
            if (k == 0) {
                REQUIRE(waited == b);
            } else {
                REQUIRE(waited >= b - b / 5);
                REQUIRE(waited <= b + b / 5);
            }
            REQUIRE(attempt_deadline == std::max(backoff.retry_at(), now + 20_s));
            deadlines.push_back(waited);
            now = backoff.retry_at();
        }
        distinct.insert(deadlines);
    }
    REQUIRE(distinct.size() == 200);  // the jitter really depends on the seed
}

TEST_CASE("a successful connection resets the backoff to INITIAL_BACKOFF", "[policies][backoff]") {
    Rng rng(3);
    ConnectionBackoff backoff(BackoffConfig{}, rng);
    (void)backoff.start_attempt(Instant::start());
    (void)backoff.start_attempt(backoff.retry_at());
    (void)backoff.start_attempt(backoff.retry_at());
    REQUIRE(backoff.current_backoff() == 2560_ms);
    backoff.reset();
    (void)backoff.start_attempt(Instant::at(100_s));
    REQUIRE(backoff.current_backoff() == 1_s);
    REQUIRE(backoff.retry_at() == Instant::at(101_s));
}

TEST_CASE("every backoff parameter is configurable", "[policies][backoff]") {
    BackoffConfig config;
    config.initial_backoff = 100_ms;
    config.multiplier_numerator = 2;
    config.multiplier_denominator = 1;
    config.jitter_permille = 0;
    config.max_backoff = 1_s;
    config.min_connect_timeout = 50_ms;
    // Deadlines 100, 200, 400, 800, then capped at 1000 ms: cumulative instants.
    REQUIRE(retry_instants(9, 6, config) ==
            std::vector<std::int64_t>{100'000'000, 300'000'000, 700'000'000, 1'500'000'000, 2'500'000'000,
                                      3'500'000'000});
    Rng rng(9);
    ConnectionBackoff backoff(config, rng);
    REQUIRE(backoff.start_attempt(Instant::start()) == Instant::at(100_ms));  // deadline beats 50 ms
}
