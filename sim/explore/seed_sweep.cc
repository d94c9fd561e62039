// The seed sweep (see seed_sweep.h).
#include "sim/explore/seed_sweep.h"

namespace netsim::explore {

SweepReport sweep_seeds(const std::function<RunVerdict(std::uint64_t seed)>& run, const SweepOptions& options,
                        const std::function<bool(std::uint64_t runs)>& keep_going,
                        const std::function<void(std::uint64_t seed, const RunVerdict&)>& on_failure) {
    SweepReport report;
    std::map<std::string, std::size_t> group_of;  // signature -> index in report.groups
    for (std::uint64_t seed = options.seed_start; report.runs < options.max_runs; ++seed) {
        if (keep_going && !keep_going(report.runs)) break;
        const RunVerdict verdict = run(seed);
        ++report.runs;
        if (!verdict.failed) continue;
        ++report.failures;
        auto [it, inserted] = group_of.emplace(verdict.signature, report.groups.size());
        if (inserted) report.groups.push_back(FailureGroup{verdict.signature, 0, seed});
        ++report.groups[it->second].count;
        if (on_failure) on_failure(seed, verdict);
        if (options.stop_on_first_failure) break;
    }
    return report;
}

}  // namespace netsim::explore
