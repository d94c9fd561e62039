// The timeline: steps (`at`, `after`, `when`, with an optional `as LABEL`) and their actions.
#include "scenarios/statements.h"
#include "scenarios/values.h"

#include <algorithm>
#include <array>
#include <utility>

namespace netsim::scenarios {

namespace {

constexpr std::string_view at_usage = "at TIME [as LABEL]: ACTION";
constexpr std::string_view after_usage = "after LABEL [+ DELAY] [as LABEL]: ACTION";
constexpr std::string_view when_usage = "when CHANNEL is STATE [as LABEL]: ACTION";
constexpr std::string_view group_usage = "... : in any order";
constexpr std::string_view rpc_usage = "rpc CHANNEL [count=N] [deadline=D] [wait_for_ready] [key=K]";

constexpr std::array<std::pair<std::string_view, ActionKind>, 14> action_words{{
    {"start", ActionKind::start},
    {"stop", ActionKind::stop},
    {"graceful_stop", ActionKind::graceful_stop},
    {"crash", ActionKind::crash},
    {"restart", ActionKind::restart},
    {"pause", ActionKind::pause},
    {"resume", ActionKind::resume},
    {"partition", ActionKind::partition},
    {"heal", ActionKind::heal},
    {"resolve", ActionKind::resolve},
    {"resolver_error", ActionKind::resolver_error},
    {"rpc", ActionKind::rpc},
    {"connect", ActionKind::connect},
    {"load", ActionKind::load},
}};

std::string action_list() {
    std::string text;
    for (const auto& entry : action_words)
        text += text.empty() ? std::string(entry.first) : fmt::format(", {}", entry.first);
    return text;
}

Parsed<Word> named(StatementReader& reader, ParseContext& context, NameKind kind, std::string_view usage) {
    auto name = reader.name(name_kind_word(kind), usage);
    if (name) context.names.refer(kind, name.value().text, reader.where(name.value()));
    return name;
}

std::optional<ParseError> parse_trigger(StatementReader& reader, ParseContext& context, const Word& keyword,
                                        Trigger& trigger, std::string_view& usage, std::optional<Word>& after_word) {
    if (keyword.text == "at") {
        usage = at_usage;
        trigger.kind = Trigger::Kind::at;
        auto when = reader.value("the time", usage);
        if (!when) return when.error();
        auto offset = parse_word(reader, when.value(), parse_window);
        if (!offset) return offset.error();
        trigger.offset = offset.value();
        return std::nullopt;
    }
    if (keyword.text == "after") {
        usage = after_usage;
        trigger.kind = Trigger::Kind::after;
        auto step = reader.label(usage);
        if (!step) return step.error();
        context.names.refer(NameKind::step, step.value().text, reader.where(step.value()));
        trigger.step = step.value().text;
        after_word = step.value();
        trigger.offset = DurationRange{Duration::zero(), Duration::zero()};
        if (!reader.next_is("+")) return std::nullopt;
        reader.take();
        auto delay = reader.value("the delay", usage);
        if (!delay) return delay.error();
        auto offset = parse_word(reader, delay.value(), parse_window);
        if (!offset) return offset.error();
        trigger.offset = offset.value();
        return std::nullopt;
    }
    usage = when_usage;
    trigger.kind = Trigger::Kind::when_state;
    trigger.offset = DurationRange{Duration::zero(), Duration::zero()};
    auto channel = named(reader, context, NameKind::channel, usage);
    if (!channel) return channel.error();
    trigger.channel = channel.value().text;
    if (auto error = reader.keyword("is", usage)) return error;
    auto state_word = reader.value("the state", usage);
    if (!state_word) return state_word.error();
    auto state = parse_word(reader, state_word.value(), parse_state_name);
    if (!state) return state.error();
    trigger.state = state.value();
    return std::nullopt;
}

}  // namespace

Line split_trigger_colon(const Line& line) {
    Line result = line;
    for (std::size_t i = 0; i < result.words.size(); ++i) {
        Word& word = result.words[i];
        if (word.quoted || !word.text.ends_with(':')) continue;
        if (word.text == ":") break;
        word.text.pop_back();
        Word colon{":", word.column + static_cast<int>(word.text.size()), false, {}};
        result.words.insert(result.words.begin() + static_cast<std::ptrdiff_t>(i) + 1, std::move(colon));
        break;
    }
    return result;
}

Parsed<Step> parse_step(StatementReader& reader, ParseContext& context) {
    Step step;
    step.where = reader.statement_where();
    const Word keyword = reader.take();
    std::string_view usage;
    std::optional<Word> after_word;
    if (auto error = parse_trigger(reader, context, keyword, step.trigger, usage, after_word)) return *error;
    step.label = fmt::format("step@{}", step.where.line);
    SourceLocation label_where = step.where;
    if (reader.next_is("as")) {
        reader.take();
        auto label = reader.label(usage);
        if (!label) return label.error();
        step.label = label.value().text;
        label_where = reader.where(label.value());
    }
    if (!reader.next_is(":")) {
        if (reader.at_end()) return reader.error_next(fmt::format("missing ':' and the action (usage: {})", usage));
        return reader.error_next(fmt::format("expected ':' before the action, got '{}' (usage: {})", reader.peek().text,
                                             usage));
    }
    reader.take();
    if (auto error = context.names.define(NameKind::step, step.label, label_where)) return *error;
    if (after_word) context.names.follow(step.label, step.trigger.step, reader.where(*after_word));
    if (reader.next_is("in")) {
        reader.take();
        if (auto error = reader.keyword("any", group_usage)) return *error;
        if (auto error = reader.keyword("order", group_usage)) return *error;
        if (auto error = reader.finish("... : in any order, then the actions on indented lines")) return *error;
        step.unordered = true;
        return step;
    }
    auto action = parse_action(reader, context);
    if (!action) return action.error();
    step.actions.push_back(std::move(action).value());
    return step;
}

Parsed<Action> parse_action(StatementReader& reader, ParseContext& context) {
    if (reader.at_end())
        return reader.error_next(fmt::format("missing the action (expected {}, or 'in any order')", action_list()));
    Action action;
    const Word& word = reader.take();
    action.where = reader.where(word);
    const auto* found = std::find_if(action_words.begin(), action_words.end(),
                                     [&](const auto& entry) { return entry.first == word.text; });
    if (found == action_words.end() || word.quoted)
        return ParseError{action.where, fmt::format("unknown action '{}' (expected {})", word.text, action_list())};
    action.kind = found->second;
    switch (action.kind) {
        case ActionKind::start:
        case ActionKind::stop:
        case ActionKind::graceful_stop:
        case ActionKind::crash:
        case ActionKind::restart:
        case ActionKind::pause:
        case ActionKind::resume: {
            const std::string usage = fmt::format("{} SERVER", word.text);
            auto server = named(reader, context, NameKind::server, usage);
            if (!server) return server.error();
            action.subject = server.value().text;
            if (auto error = reader.finish(usage)) return *error;
            return action;
        }
        case ActionKind::partition:
        case ActionKind::heal: {
            const std::string usage = fmt::format("{} HOST HOST", word.text);
            auto a = named(reader, context, NameKind::host, usage);
            if (!a) return a.error();
            auto b = named(reader, context, NameKind::host, usage);
            if (!b) return b.error();
            if (a.value().text == b.value().text)
                return ParseError{reader.where(b.value()), fmt::format("'{}' needs two different hosts", word.text)};
            action.subject = a.value().text;
            action.other = b.value().text;
            if (auto error = reader.finish(usage)) return *error;
            return action;
        }
        case ActionKind::resolve: {
            auto channel = named(reader, context, NameKind::channel, "resolve CHANNEL [SERVER,...]");
            if (!channel) return channel.error();
            action.subject = channel.value().text;
            auto servers = reader.list("servers");
            if (!servers) return servers.error();
            for (const Word& server : servers.value()) {
                if (!is_identifier(server.text))
                    return ParseError{reader.where(server), fmt::format("expected a server name, got '{}'", server.text)};
                context.names.refer(NameKind::server, server.text, reader.where(server));
                action.addresses.push_back(server.text);
            }
            return action;
        }
        case ActionKind::rpc: {
            auto channel = named(reader, context, NameKind::channel, rpc_usage);
            if (!channel) return channel.error();
            action.subject = channel.value().text;
            auto options = reader.options({{"count"}, {"deadline"}, {"wait_for_ready", true}, {"key"}}, "rpc");
            if (!options) return options.error();
            for (const Option& option : options.value()) {
                if (option.key == "wait_for_ready") {
                    action.wait_for_ready = option.on;
                } else if (option.key == "key") {
                    action.key = option.value->text;
                } else if (option.key == "count") {
                    auto count = parse_word(reader, *option.value, [](std::string_view text, const SourceLocation& at) {
                        return parse_integer(text, at, "count", 1, 1'000'000);
                    });
                    if (!count) return count.error();
                    action.count = static_cast<int>(count.value());
                } else {
                    auto deadline = parse_word(reader, *option.value, parse_duration_value);
                    if (!deadline) return deadline.error();
                    action.deadline = deadline.value();
                }
            }
            return action;
        }
        case ActionKind::load: {
            constexpr std::string_view usage = "load SERVER cpu=P% [qps=N] [eps=N]";
            auto server = named(reader, context, NameKind::server, usage);
            if (!server) return server.error();
            action.subject = server.value().text;
            const SourceLocation end = reader.where_next();
            auto options = reader.options({{"cpu"}, {"qps"}, {"eps"}}, "load");
            if (!options) return options.error();
            bool has_cpu = false;
            for (const Option& option : options.value()) {
                if (option.key == "cpu") {
                    auto percent = parse_word(reader, *option.value, parse_percent);
                    if (!percent) return percent.error();
                    action.load_cpu_percent = percent.value();
                    has_cpu = true;
                    continue;
                }
                auto n = parse_word(reader, *option.value, [&](std::string_view text, const SourceLocation& at) {
                    return parse_integer(text, at, option.key, 0, option.key == "qps" ? (1 << 24) - 1 : 65535);
                });
                if (!n) return n.error();
                (option.key == "qps" ? action.load_qps : action.load_eps) = static_cast<std::uint32_t>(n.value());
            }
            if (!has_cpu) return ParseError{end, fmt::format("missing cpu= (usage: {})", usage)};
            return action;
        }
        case ActionKind::resolver_error:
        case ActionKind::connect: {
            const std::string usage = fmt::format("{} CHANNEL", word.text);
            auto channel = named(reader, context, NameKind::channel, usage);
            if (!channel) return channel.error();
            action.subject = channel.value().text;
            if (auto error = reader.finish(usage)) return *error;
            return action;
        }
    }
    return action;
}

}  // namespace netsim::scenarios
