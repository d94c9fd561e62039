// The connection backoff's steps, in integer nanoseconds.
#include "policies/backoff.h"

#include "sim/core/check.h"

#include <algorithm>

namespace netsim::policies {

ConnectionBackoff::ConnectionBackoff(const BackoffConfig& config, Rng& rng) : config_(config), rng_(&rng) {
    NETSIM_CHECK(config.multiplier_denominator > 0);
    NETSIM_CHECK(config.jitter_permille <= 1000);
    NETSIM_CHECK(config.initial_backoff > Duration::zero());
}

Instant ConnectionBackoff::start_attempt(Instant now) {
    if (fresh_) {
        fresh_ = false;
        backoff_ = config_.initial_backoff;
        deadline_ = now + backoff_;  // the first deadline carries no jitter
    } else {
        // Min(current_backoff * MULTIPLIER, MAX_BACKOFF); the product overflows only past a
        // backoff of years.
        const std::int64_t grown =
            backoff_.count_ns() * config_.multiplier_numerator / config_.multiplier_denominator;
        backoff_ = std::min(Duration::nanoseconds(grown), config_.max_backoff);
        // UniformRandom(-JITTER * backoff, JITTER * backoff), both ends included.
        const std::int64_t spread = backoff_.count_ns() * config_.jitter_permille / 1000;
        deadline_ = now + backoff_ + Duration::nanoseconds(rng_->between(-spread, spread));
    }
    return std::max(deadline_, now + config_.min_connect_timeout);
}

}  // namespace netsim::policies
