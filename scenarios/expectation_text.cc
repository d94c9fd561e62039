#include "scenarios/expectation_text.h"

#include "scenarios/values.h"

#include <fmt/format.h>

namespace netsim::scenarios {

std::string expectation_text(const Expectation& e) {
    std::string text = fmt::format("expect {}", e.subject);
    const std::string after = e.after_step ? fmt::format(" after {}", *e.after_step) : "";
    switch (e.kind) {
        case Expectation::Kind::step_succeeds: return text + " succeeds";
        case Expectation::Kind::step_fails:
            return text + " fails" + (e.error ? fmt::format(" with {}", kernel::errno_name(*e.error)) : "");
        case Expectation::Kind::states_exactly: {
            text += " states ";
            for (std::size_t i = 0; i < e.states.size(); ++i) text += fmt::format("{}{}", i ? ", " : "", state_name(e.states[i]));
            return text + (e.within ? fmt::format(" within {}", *e.within) + after : "");
        }
        case Expectation::Kind::states_match:
            return text + fmt::format(" states match \"{}\"", e.pattern) +
                   (e.within ? fmt::format(" within {}", *e.within) + after : "");
        case Expectation::Kind::reaches_state:
            return text + fmt::format(" is {} within {}", state_name(e.state), e.within.value_or(Duration::zero())) + after;
        case Expectation::Kind::success_ratio:
        case Expectation::Kind::server_share:
            return text +
                   fmt::format(" rpcs {} {} {}%", e.kind == Expectation::Kind::success_ratio ? "ok" : "share",
                               e.at_most ? "<=" : ">=", e.ratio_percent) +
                   (e.from ? fmt::format(" from={}", *e.from) : "") + (e.until ? fmt::format(" until={}", *e.until) : "");
        case Expectation::Kind::server_receives:
            return text + " receives rpcs" + (e.within ? fmt::format(" within {}", *e.within) : "") + after;
        case Expectation::Kind::server_never_receives: return text + " never receives rpcs" + after;
        case Expectation::Kind::no_record: return fmt::format("expect no record {}", e.subject);
    }
    return text;
}

}  // namespace netsim::scenarios
