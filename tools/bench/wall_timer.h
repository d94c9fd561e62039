// Wall-clock stopwatch for benchmarks only (tools/ is the one place allowed to read a clock).
#pragma once

#include <chrono>

namespace netsim::bench {

class WallTimer {
public:
    WallTimer() : start_(std::chrono::steady_clock::now()) {}
    double seconds() const {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    }

private:
    std::chrono::steady_clock::time_point start_;
};

}  // namespace netsim::bench
