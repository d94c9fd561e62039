#include "tests/conformance/script_generator.h"

#include "sim/core/hash.h"
#include "sim/kernel/script/syscall_script.h"
#include "tests/support/catch.h"

#include <set>
#include <string>

using netsim::conformance::generate_script;
using namespace netsim::kernel;
using namespace netsim::literals;

TEST_CASE("a generated script depends only on (seed, index)", "[script_generator]") {
    REQUIRE(generate_script(7, 3) == generate_script(7, 3));
    REQUIRE(generate_script(7, 3) != generate_script(7, 4));
    REQUIRE(generate_script(7, 3) != generate_script(8, 3));
    std::set<std::string> distinct;
    for (int i = 0; i < 200; ++i) distinct.insert(generate_script(1, i));
    REQUIRE(distinct.size() == 200);
}

TEST_CASE("generated scripts are the same on every build (a change of generator is caught)", "[script_generator]") {
    // Recorded from this implementation; a failure here means old seeds no longer reproduce
    // the scripts they named.
    const std::string script = generate_script(1, 0);
    REQUIRE(script.substr(0, script.find('\n', script.find("sysctl tcp_tw_reuse"))) ==
            "# generated: generate_scripts --seed 1 (script 0)\n"
            "sysctl ip_local_port_range 5001 5001\n"
            "sysctl tcp_tw_reuse 0");
    std::uint64_t all = 0;
    for (int i = 0; i < 100; ++i)
        all ^= netsim::fnv1a64(generate_script(1, i)) * static_cast<std::uint64_t>(i + 1);
    REQUIRE(all == 0xfc25f083ffeddca1ULL);  // since `state`, `table` and the settling sleeps
}

TEST_CASE("generated scripts parse and keep to the constructs with a predictable outcome", "[script_generator]") {
    for (int index = 0; index < 1000; ++index) {
        const std::string text = generate_script(42, index);
        auto parsed = parse_syscall_script(text, "generated.txt");
        if (auto* error = std::get_if<ScriptError>(&parsed)) FAIL(error->format() << "\n" << text);
        const SyscallScript& script = std::get<SyscallScript>(parsed);
        REQUIRE(script.steps.size() >= 10);

        const auto* range = std::get_if<SysctlPortRange>(&script.steps[0].operation);
        REQUIRE(range != nullptr);
        REQUIRE(range->low == range->high);  // one ephemeral port: its choice is predictable
        const auto* tw_reuse = std::get_if<SysctlTwReuse>(&script.steps[1].operation);
        REQUIRE(tw_reuse != nullptr);
        REQUIRE(tw_reuse->mode == 0);

        int connects = 0;
        int sleeps = 0;
        for (std::size_t i = 0; i < script.steps.size(); ++i) {
            const ScriptStep& step = script.steps[i];
            if (std::holds_alternative<ConnectOp>(step.operation)) ++connects;
            if (const auto* sleep = std::get_if<SleepOp>(&step.operation)) {
                REQUIRE(sleep->duration <= 100_ms);
                if (sleep->duration != 50_ms) ++sleeps;  // besides the settling sleeps
            }
            // Whatever may send a FIN is followed by a settling sleep.
            const auto* shutdown = std::get_if<ShutdownOp>(&step.operation);
            if (std::holds_alternative<CloseOp>(step.operation) || (shutdown && shutdown->how != ShutdownHow::rd)) {
                REQUIRE(i + 1 < script.steps.size());
                const auto* next = std::get_if<SleepOp>(&script.steps[i + 1].operation);
                REQUIRE((next != nullptr && next->duration == 50_ms));
            }
            if (const auto* listen = std::get_if<ListenOp>(&step.operation)) REQUIRE(listen->backlog == 16);
            if (const auto* send = std::get_if<SendOp>(&step.operation)) REQUIRE(send->bytes <= 1000);
        }
        REQUIRE(connects <= 12);  // fewer than a listen(16) queue holds: no connect can time out
        REQUIRE(sleeps <= 1);
        REQUIRE(std::holds_alternative<TableOp>(script.steps.back().operation));
    }
}
