// gRPC's connection backoff (doc/connection-backoff.md): when to give up on a connection attempt
// and when to start the next one. All arithmetic is on whole nanoseconds and integer ratios
// (the multiplier 1.6 is 16/10, the jitter 0.2 is 200 permille), and the jitter is drawn from a
// generator the owner passes in (a channel's stream "backoff/<channel>"), so a seed fixes every
// instant.
//
//   ConnectWithBackoff()
//     current_backoff = INITIAL_BACKOFF
//     current_deadline = now() + INITIAL_BACKOFF
//     while (TryConnect(Max(current_deadline, now() + MIN_CONNECT_TIMEOUT)) != SUCCESS)
//       SleepUntil(current_deadline)
//       current_backoff = Min(current_backoff * MULTIPLIER, MAX_BACKOFF)
//       current_deadline = now() + current_backoff +
//                          UniformRandom(-JITTER * current_backoff, JITTER * current_backoff)
#pragma once

#include "sim/core/rng.h"
#include "sim/core/time.h"

#include <cstdint>

namespace netsim::policies {

struct BackoffConfig {
    Duration initial_backoff = Duration::seconds(1);
    std::uint32_t multiplier_numerator = 16;  // MULTIPLIER = numerator / denominator (1.6)
    std::uint32_t multiplier_denominator = 10;
    std::uint32_t jitter_permille = 200;      // JITTER 0.2
    Duration max_backoff = Duration::seconds(120);
    Duration min_connect_timeout = Duration::seconds(20);
};

class ConnectionBackoff {
public:
    // `rng` must outlive this object; it may be shared by several backoffs (draws interleave in
    // the order the attempts start, which the simulation fixes).
    ConnectionBackoff(const BackoffConfig& config, Rng& rng);

    // An attempt starts at `now`: the first after construction or reset() sets the backoff to
    // INITIAL_BACKOFF and the deadline to now + INITIAL_BACKOFF; each later one grows the backoff
    // and draws a jittered deadline. Returns the instant the attempt may run until:
    // max(deadline, now + MIN_CONNECT_TIMEOUT).
    Instant start_attempt(Instant now);
    // After a failed attempt: when the next may start (the current deadline).
    Instant retry_at() const { return deadline_; }
    // The current backoff (without jitter).
    Duration current_backoff() const { return backoff_; }
    // A connection succeeded: the next attempt starts from INITIAL_BACKOFF again.
    void reset() { fresh_ = true; }

private:
    BackoffConfig config_;
    Rng* rng_;
    bool fresh_ = true;
    Duration backoff_;
    Instant deadline_;
};

}  // namespace netsim::policies
