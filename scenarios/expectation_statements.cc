// `expect ...`: what must hold at the end of a run.
#include "scenarios/expectation_text.h"
#include "scenarios/state_pattern.h"
#include "scenarios/statements.h"
#include "scenarios/values.h"

namespace netsim::scenarios {

namespace {

constexpr std::string_view usage =
    "expect LABEL succeeds | LABEL fails [with ERRNO] | CHANNEL states S, ... | CHANNEL states match \"P\" | "
    "CHANNEL is STATE within D [after LABEL] | CHANNEL rpcs ok >=|<= P% [from=T] [until=T] | "
    "SERVER rpcs share >=|<= P% [from=T] [until=T] | "
    "SERVER receives rpcs [within D] [after LABEL] | SERVER never receives rpcs [after LABEL] | no record KIND";

bool is_record_kind(std::string_view text) {
    if (text.empty()) return false;
    for (char c : text)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.')) return false;
    return true;
}

// `after LABEL`, when present.
std::optional<ParseError> optional_after(StatementReader& reader, ParseContext& context, Expectation& e) {
    if (!reader.next_is("after")) return std::nullopt;
    reader.take();
    auto label = reader.label(usage);
    if (!label) return label.error();
    context.names.refer(NameKind::step, label.value().text, reader.where(label.value()));
    e.after_step = label.value().text;
    return std::nullopt;
}

// `within DURATION`, required or when present.
std::optional<ParseError> within(StatementReader& reader, Expectation& e, bool required) {
    if (!required && !reader.next_is("within")) return std::nullopt;
    if (auto error = reader.keyword("within", usage)) return error;
    auto word = reader.value("the duration", usage);
    if (!word) return word.error();
    auto d = parse_word(reader, word.value(), parse_duration_value);
    if (!d) return d.error();
    e.within = d.value();
    return std::nullopt;
}

// `[within D] [after LABEL]` after a state sequence: the horizon up to which it is judged.
std::optional<ParseError> states_horizon(StatementReader& reader, ParseContext& context, Expectation& e) {
    if (auto error = within(reader, e, false)) return error;
    if (!e.within && reader.next_is("after"))
        return reader.error_next("'after LABEL' needs 'within D' before it on a states expectation");
    return optional_after(reader, context, e);
}

std::optional<ParseError> states(StatementReader& reader, ParseContext& context, Expectation& e) {
    if (reader.next_is("match")) {
        reader.take();
        e.kind = Expectation::Kind::states_match;
        auto word = reader.value("the pattern", usage);
        if (!word) return word.error();
        if (auto problem = check_state_pattern(word.value().text)) {
            SourceLocation at = reader.where(word.value());
            if (word.value().from_param.empty()) at.column += static_cast<int>(problem->offset) + (word.value().quoted ? 1 : 0);
            return ParseError{at, problem->message};
        }
        e.pattern = word.value().text;
        return states_horizon(reader, context, e);
    }
    e.kind = Expectation::Kind::states_exactly;
    auto items = reader.list("states", {"within", "after"});
    if (!items) return items.error();
    if (items.value().empty()) return reader.error_next("missing the states (e.g. states CONNECTING, READY)");
    for (const Word& item : items.value()) {
        auto state = parse_word(reader, item, parse_state_name);
        if (!state) return state.error();
        e.states.push_back(state.value());
    }
    return states_horizon(reader, context, e);
}

// `rpcs ok >= P%` (a channel) or `rpcs share <= P%` (a server), then `[from=T] [until=T]`.
std::optional<ParseError> ratio(StatementReader& reader, Expectation& e) {
    if (reader.at_end()) return reader.error_next(fmt::format("missing 'ok' or 'share' (usage: {})", usage));
    const Word what = reader.take();
    if (what.text != "ok" && what.text != "share")
        return ParseError{reader.where(what), fmt::format("expected 'ok' or 'share', got '{}' (usage: {})", what.text, usage)};
    e.kind = what.text == "ok" ? Expectation::Kind::success_ratio : Expectation::Kind::server_share;
    if (reader.at_end()) return reader.error_next(fmt::format("missing '>=' or '<=' (usage: {})", usage));
    const Word comparison = reader.take();
    if (comparison.text != ">=" && comparison.text != "<=")
        return ParseError{reader.where(comparison),
                          fmt::format("expected '>=' or '<=', got '{}' (usage: {})", comparison.text, usage)};
    e.at_most = comparison.text == "<=";
    auto word = reader.value("the percentage", usage);
    if (!word) return word.error();
    auto percent = parse_word(reader, word.value(), parse_percent);
    if (!percent) return percent.error();
    e.ratio_percent = percent.value();
    auto options = reader.options({{"from"}, {"until"}}, "expect ... rpcs ok");
    if (!options) return options.error();
    for (const Option& option : options.value()) {
        auto d = parse_word(reader, *option.value, parse_duration_value);
        if (!d) return d.error();
        (option.key == "from" ? e.from : e.until) = d.value();
        if (e.from && e.until && *e.until < *e.from)
            return ParseError{option.where, fmt::format("until={} is before from={}", *e.until, *e.from)};
    }
    return std::nullopt;
}

// Everything after `expect NAME`; `kind` is the name's kind, for the name check.
std::optional<ParseError> after_subject(StatementReader& reader, ParseContext& context, Expectation& e, NameKind& kind) {
    if (reader.at_end()) return reader.error_next(fmt::format("missing what is expected (usage: {})", usage));
    const Word verb = reader.take();
    if (verb.text == "succeeds" || verb.text == "fails") {
        kind = NameKind::step;
        e.kind = verb.text == "succeeds" ? Expectation::Kind::step_succeeds : Expectation::Kind::step_fails;
        if (e.kind == Expectation::Kind::step_succeeds || !reader.next_is("with")) return std::nullopt;
        reader.take();
        auto word = reader.value("the errno name", usage);
        if (!word) return word.error();
        auto error = parse_word(reader, word.value(), parse_errno_name);
        if (!error) return error.error();
        e.error = error.value();
        return std::nullopt;
    }
    if (verb.text == "states") {
        kind = NameKind::channel;
        return states(reader, context, e);
    }
    if (verb.text == "is") {
        kind = NameKind::channel;
        e.kind = Expectation::Kind::reaches_state;
        auto word = reader.value("the state", usage);
        if (!word) return word.error();
        auto state = parse_word(reader, word.value(), parse_state_name);
        if (!state) return state.error();
        e.state = state.value();
        if (auto error = within(reader, e, true)) return error;
        return optional_after(reader, context, e);
    }
    if (verb.text == "rpcs") {
        kind = reader.next_is("share") ? NameKind::server : NameKind::channel;
        return ratio(reader, e);
    }
    if (verb.text == "receives" || verb.text == "never") {
        kind = NameKind::server;
        const bool never = verb.text == "never";
        e.kind = never ? Expectation::Kind::server_never_receives : Expectation::Kind::server_receives;
        if (never)
            if (auto error = reader.keyword("receives", usage)) return error;
        if (auto error = reader.keyword("rpcs", usage)) return error;
        if (!never)
            if (auto error = within(reader, e, false)) return error;
        return optional_after(reader, context, e);
    }
    return ParseError{reader.where(verb),
                      fmt::format("unknown expectation '{}' (expected succeeds, fails, states, is, rpcs, receives or never "
                                  "after the name, or 'expect no record KIND')",
                                  verb.text)};
}

}  // namespace

std::optional<ParseError> parse_expectation(StatementReader& reader, ParseContext& context) {
    Expectation e;
    e.where = reader.statement_where();
    if (reader.next_is("no")) {
        reader.take();
        if (auto error = reader.keyword("record", "expect no record KIND")) return error;
        if (reader.at_end()) return reader.error_next("missing the record kind (usage: expect no record KIND)");
        const Word& record = reader.take();
        if (!is_record_kind(record.text))
            return ParseError{reader.where(record), fmt::format("expected a trace record kind like bind.failed, got '{}'",
                                                                record.text)};
        e.kind = Expectation::Kind::no_record;
        e.subject = record.text;
    } else {
        auto subject = reader.label(usage);
        if (!subject) return subject.error();
        e.subject = subject.value().text;
        NameKind kind = NameKind::step;
        if (auto error = after_subject(reader, context, e, kind)) return error;
        context.names.refer(kind, e.subject, reader.where(subject.value()));
    }
    if (auto error = reader.finish(usage)) return error;
    e.text = expectation_text(e);
    context.scenario.expectations.push_back(std::move(e));
    return std::nullopt;
}

}  // namespace netsim::scenarios
