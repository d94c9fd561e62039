// `tools/dev bench` (trace part): records per second of the text, jsonl and pcap writers
// against the cost of hashing the same records (what every run pays, tracing or not), measured
// in the same run. The records are a real run's: the catalogue's pick_first_restart, seed 379,
// captured once with their value types intact and replayed many times. Each writer writes to
// /dev/null through its real output path (buffer, fwrite). Best of 5 rounds each.
#include "scenarios/parser.h"
#include "scenarios/runner.h"
#include "sim/trace/format_name.h"
#include "sim/trace/trace_writer.h"
#include "tools/bench/wall_timer.h"

#include <fmt/core.h>

#include <algorithm>
#include <cstdio>
#include <deque>
#include <vector>

#ifndef NETSIM_SOURCE_DIR
#define NETSIM_SOURCE_DIR "."
#endif

using namespace netsim;

namespace {

// Records as views whose strings live in an arena, so they replay exactly as reported.
class CapturedTrace final : public TraceSink {
public:
    void on_record(const TraceRecordView& r) override {
        Captured c{r.at, keep(r.source), keep(r.kind), {}};
        for (const TraceFieldView& f : r.fields) {
            TraceValueView v = f.value;
            if (auto* s = std::get_if<std::string_view>(&v)) v = keep(*s);
            if (auto* l = std::get_if<TraceLabel>(&v)) l->text = keep(l->text);
            c.fields.push_back({keep(f.key), v});
        }
        records_.push_back(std::move(c));
    }
    template <class F>
    void replay(F&& each) const {
        for (const Captured& c : records_) each(TraceRecordView{c.at, c.source, c.kind, c.fields});
    }
    std::size_t size() const { return records_.size(); }

private:
    struct Captured {
        Instant at;
        std::string_view source, kind;
        std::vector<TraceFieldView> fields;
    };
    std::string_view keep(std::string_view s) { return arena_.emplace_back(s); }

    std::deque<std::string> arena_;
    std::vector<Captured> records_;
};

template <class F>
double best_seconds(F&& round) {
    double best = 1e30;
    for (int i = 0; i < 5; ++i) {
        bench::WallTimer t;
        round();
        best = std::min(best, t.seconds());
    }
    return best;
}

}  // namespace

int main(int argc, char** argv) {
    int replays = 40;
    if (argc == 3 && std::string(argv[1]) == "--replays") replays = std::stoi(argv[2]);
    auto parsed = scenarios::parse_scenario_file(NETSIM_SOURCE_DIR "/scenarios/pick_first_restart.scn", {});
    if (auto* e = std::get_if<scenarios::ParseError>(&parsed)) {
        fmt::print(stderr, "{}\n", e->to_string());
        return 2;
    }
    const auto& scenario = std::get<scenarios::Scenario>(parsed);
    CapturedTrace captured;
    scenarios::RunOptions options;
    options.sink = &captured;
    const scenarios::RunReport report = scenarios::run_scenario(scenario, 379, options);
    const double records = static_cast<double>(captured.size()) * replays;
    fmt::print("netsim trace writers: pick_first_restart seed 379, {} records replayed {} times per round, best of 5\n\n",
               captured.size(), replays);

    bool same_hash = true;  // the replay is the run: same records, same hash
    const double hash_s = best_seconds([&] {
        for (int i = 0; i < replays; ++i) {
            Trace t;
            captured.replay([&](const TraceRecordView& r) { t.append(r); });
            same_hash &= t.hash() == report.trace_hash;
        }
    });
    if (!same_hash) {
        fmt::print(stderr, "trace_bench: the replayed records do not hash as the run did ({} records, run {})\n",
                   captured.size(), report.records);
        return 1;
    }
    fmt::print("  {:<34} {:>12} {:>12}\n", "", "Mrecords/s", "vs hashing");
    fmt::print("  {:<34} {:>12.2f} {:>12}\n", "baseline: trace hash only", records / hash_s / 1e6, "1.00");

    std::FILE* null = std::fopen("/dev/null", "wb");
    if (null == nullptr) {
        fmt::print(stderr, "trace_bench: cannot open /dev/null\n");
        return 2;
    }
    bool all_fast = true;
    trace::FormatContext context;
    context.placement.place("a", "machine");
    context.placement.place("b", "machine");
    context.placement.place("client", "machine");
    for (trace::FormatName format : {trace::FormatName::text, trace::FormatName::jsonl, trace::FormatName::pcap}) {
        std::uint64_t written = 0;
        const double s = best_seconds([&] {
            for (int i = 0; i < replays; ++i) {
                trace::TraceOutput out(null);
                trace::TraceWriter writer(trace::make_format(format, context), out);
                captured.replay([&](const TraceRecordView& r) { writer.on_record(r); });
                writer.finish();
                written += writer.records_written();
            }
        });
        const double rate = records / s;
        all_fast &= rate >= 2e6;
        fmt::print("  {:<34} {:>12.2f} {:>12.2f}{}\n", fmt::format("{} writer (alone)", to_string(format)), rate / 1e6,
                   hash_s / s, rate >= 2e6 ? "" : "  below the 2 Mrecords/s goal");
    }
    std::fclose(null);
    fmt::print("\n  goal: each writer >= 2 Mrecords/s; 'vs hashing' is hashing's time over the writer's\n"
               "  (above 1: the writer is faster than the hash every run computes anyway).\n"
               "  Tracing off costs nothing: no writer is attached unless --trace or -v asks.\n");
    return all_fast ? 0 : 1;
}
