#include "tests/conformance/directed_scripts.h"

#include "sim/kernel/script/model_runner.h"
#include "tests/support/catch.h"

#include <set>

using namespace netsim::conformance;
using namespace netsim::kernel;

TEST_CASE("every directed script parses and brings socket s to its condition before its operation",
          "[directed_scripts]") {
    const std::vector<DirectedScript> scripts = directed_scripts();
    std::set<std::string> names;
    for (const DirectedScript& d : scripts) {
        INFO(d.name << "\n" << d.text);
        REQUIRE(names.insert(d.name).second);
        auto parsed = parse_syscall_script(d.text, d.name);
        if (auto* error = std::get_if<ScriptError>(&parsed)) FAIL(error->format());
        const SyscallScript& script = std::get<SyscallScript>(parsed);
        REQUIRE(std::holds_alternative<TableOp>(script.steps.back().operation));
        // The operation under test is the step before the settling sleep and the table.
        const ScriptRun run = run_script_on_model(script);
        const StepCondition& met = run.conditions[run.conditions.size() - 3];
        REQUIRE(met.operation == d.operation);
        REQUIRE(met.condition == d.condition);
    }
    // 16 conditions times 12 operations on an existing name, and `socket` on a new one.
    REQUIRE(scripts.size() == 16 * 13 - 15);
}
