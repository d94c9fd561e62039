// Formatting a run's report (see report.h).
#include "scenarios/report.h"

#include "scenarios/excerpt_filter.h"

#include <set>

namespace netsim::scenarios {

std::vector<const TraceRecord*> explaining_records(const Scenario& scenario, const RunReport& report,
                                                   const Violation& violation, std::size_t limit) {
    const std::set<std::string> names = mentioned_names(scenario, violation);
    std::vector<const TraceRecord*> out;
    for (auto it = report.trace.rbegin(); it != report.trace.rend() && out.size() < limit; ++it)
        if (it->at <= violation.at && about(*it, names)) out.push_back(&*it);
    std::reverse(out.begin(), out.end());
    return out;
}

std::string format_report(const Scenario& scenario, const RunReport& report) {
    std::string out;
    if (report.holds) {
        out += fmt::format("{}: holds (seed {}, {} events, ended at {}s)\n", scenario.name, report.seed, report.events,
                           report.ended);
    } else {
        out += fmt::format("{}: FAILED (seed {}, {} violation{})\n", scenario.name, report.seed, report.violations.size(),
                           report.violations.size() == 1 ? "" : "s");
        for (const Violation& v : report.violations) {
            const std::string where =
                v.where.line > 0 ? fmt::format("{}:{}:{}: ", v.where.file, v.where.line, v.where.column) : "";
            out += fmt::format("\n  at {}s  {}{}\n    {}\n", v.at, where, v.expectation, v.what);
            for (const std::string& d : v.detail) out += fmt::format("    {}\n", d);
            const auto records = explaining_records(scenario, report, v);
            if (!records.empty()) out += "    trace:\n";
            for (const TraceRecord* r : records) out += fmt::format("      {}\n", format_trace_record(*r));
        }
        out += "\n";
    }
    out += fmt::format("trace-hash: {}\n", format_trace_hash(report.trace_hash));
    return out;
}

}  // namespace netsim::scenarios
