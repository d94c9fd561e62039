// The statements that describe the world: host, sysctl, link, server, noise, channel, rpcs.
#include "policies/policy_registry.h"
#include "scenarios/host_addresses.h"
#include "scenarios/statements.h"
#include "scenarios/values.h"

namespace netsim::scenarios {

namespace {

constexpr std::string_view host_usage = "host NAME [ADDRESS...]";
constexpr std::string_view sysctl_usage = "sysctl HOST KEY = VALUE";
constexpr std::string_view link_usage = "link HOST HOST [latency=D] [jitter=D] [loss=L]";
constexpr std::string_view server_usage = "server NAME on HOST at ADDR:PORT [KEY=VALUE...] [started]";
constexpr std::uint32_t max_load_qps = (1u << 24) - 1;  // what a load report carries (load_report.h)
constexpr std::string_view noise_usage = "noise NAME listeners|connects|holders on HOST rate=R [KEY=VALUE...]";
constexpr std::string_view channel_usage = "channel NAME on HOST [policy=NAME] [target=SERVER,...] [KEY=VALUE...]";
constexpr std::string_view rpcs_usage = "rpcs CHANNEL rate=R [from=T] [until=T] [deadline=D] [wait_for_ready] [key=K]";

// `on HOST`, the host recorded as a use.
Parsed<std::string> on_host(StatementReader& reader, ParseContext& context, std::string_view usage) {
    if (auto error = reader.keyword("on", usage)) return *error;
    auto host = reader.name("host", usage);
    if (!host) return host.error();
    context.names.refer(NameKind::host, host.value().text, reader.where(host.value()));
    return host.value().text;
}

std::optional<ParseError> sysctl_value(const StatementReader& reader, const Word& key, const Word& value,
                                       SysctlSpec& spec) {
    auto twice = [&](bool set) -> std::optional<ParseError> {
        if (!set) return std::nullopt;
        return ParseError{reader.where(key), fmt::format("sysctl '{}' set twice for this host", key.text)};
    };
    if (key.text == "ip_local_port_range") {
        if (auto error = twice(spec.ip_local_port_range.has_value())) return error;
        auto range = parse_word(reader, value, parse_port_range);
        if (!range) return range.error();
        // Linux refuses a start below ip_unprivileged_port_start (1024 by default).
        if (range.value().first < 1024)
            return ParseError{reader.where(value), fmt::format("ip_local_port_range must start at 1024 or above, got '{}'",
                                                               value.text)};
        spec.ip_local_port_range = range.value();
        return std::nullopt;
    }
    if (key.text == "tcp_tw_reuse") {
        if (auto error = twice(spec.tcp_tw_reuse.has_value())) return error;
        auto mode = parse_word(reader, value, [](std::string_view text, const SourceLocation& where) {
            return parse_integer(text, where, "tcp_tw_reuse", 0, 2);
        });
        if (!mode) return mode.error();
        spec.tcp_tw_reuse = static_cast<int>(mode.value());
        return std::nullopt;
    }
    if (key.text == "time_wait" || key.text == "tcp_fin_timeout") {
        std::optional<Duration>& slot = key.text == "time_wait" ? spec.time_wait : spec.tcp_fin_timeout;
        if (auto error = twice(slot.has_value())) return error;
        auto d = parse_word(reader, value, parse_duration_value);
        if (!d) return d.error();
        slot = d.value();
        return std::nullopt;
    }
    return ParseError{reader.where(key), fmt::format("unknown sysctl '{}' (expected ip_local_port_range, tcp_tw_reuse, "
                                                     "time_wait or tcp_fin_timeout)",
                                                     key.text)};
}

template <typename Parse>
auto option_value(const StatementReader& reader, const Option& option, Parse parse) {
    return parse_word(reader, *option.value, parse);
}

Parsed<std::int64_t> integer_option(const StatementReader& reader, const Option& option, std::int64_t min,
                                    std::int64_t max) {
    return option_value(reader, option, [&](std::string_view text, const SourceLocation& where) {
        return parse_integer(text, where, option.key, min, max);
    });
}

}  // namespace

std::optional<ParseError> parse_host(StatementReader& reader, ParseContext& context) {
    HostSpec host;
    host.where = reader.statement_where();
    auto name = reader.name("host", host_usage);
    if (!name) return name.error();
    host.name = name.value().text;
    if (auto error = context.names.define(NameKind::host, host.name, reader.where(name.value()))) return error;
    auto addresses = reader.list("addresses");
    if (!addresses) return addresses.error();
    std::vector<HostSpec>& hosts = context.scenario.hosts;
    hosts.push_back(std::move(host));
    for (const Word& word : addresses.value()) {
        auto ip = parse_word(reader, word, parse_ip_address);
        if (!ip) return ip.error();
        if (auto problem = host_address_problem(ip.value(), hosts)) return ParseError{reader.where(word), *problem};
        hosts.back().addresses.push_back(ip.value());
    }
    return std::nullopt;
}

std::optional<ParseError> parse_sysctl(StatementReader& reader, ParseContext& context) {
    auto host = reader.name("host", sysctl_usage);
    if (!host) return host.error();
    context.names.refer(NameKind::host, host.value().text, reader.where(host.value()));
    if (reader.at_end()) return reader.error_next(fmt::format("missing the sysctl key (usage: {})", sysctl_usage));
    Word key = reader.take();
    Word value;
    if (const std::size_t equals = key.text.find('='); equals != std::string::npos) {
        value = key;
        value.text = key.text.substr(equals + 1);
        value.column = key.column + static_cast<int>(equals) + 1;
        key.text.resize(equals);
        if (value.text.empty()) {
            auto v = reader.value("the sysctl value", sysctl_usage);
            if (!v) return v.error();
            value = v.value();
        } else {
            auto v = reader.substitute(value);
            if (!v) return v.error();
            value = v.value();
        }
    } else {
        if (auto error = reader.keyword("=", sysctl_usage)) return error;
        auto v = reader.value("the sysctl value", sysctl_usage);
        if (!v) return v.error();
        value = v.value();
    }
    if (auto error = reader.finish(sysctl_usage)) return error;
    return sysctl_value(reader, key, value, context.sysctls[host.value().text]);
}

std::optional<ParseError> parse_link(StatementReader& reader, ParseContext& context) {
    LinkBetween link;
    link.where = reader.statement_where();
    auto a = reader.name("host", link_usage);
    if (!a) return a.error();
    auto b = reader.name("host", link_usage);
    if (!b) return b.error();
    link.a = a.value().text;
    link.b = b.value().text;
    if (link.a == link.b)
        return ParseError{reader.where(b.value()), fmt::format("a link joins two hosts, got '{}' twice", link.a)};
    for (const LinkBetween& other : context.scenario.links)
        if ((other.a == link.a && other.b == link.b) || (other.a == link.b && other.b == link.a))
            return ParseError{link.where, fmt::format("a second link between {} and {} (the first is at line {})",
                                                      link.a, link.b, other.where.line)};
    context.names.refer(NameKind::host, link.a, reader.where(a.value()));
    context.names.refer(NameKind::host, link.b, reader.where(b.value()));
    auto options = reader.options({{"latency"}, {"jitter"}, {"loss"}}, "link");
    if (!options) return options.error();
    for (const Option& option : options.value()) {
        if (option.key == "loss") {
            auto loss = option_value(reader, option, parse_loss);
            if (!loss) return loss.error();
            link.link.loss_numerator = loss.value().first;
            link.link.loss_denominator = loss.value().second;
            continue;
        }
        auto d = option_value(reader, option, parse_duration_value);
        if (!d) return d.error();
        (option.key == "latency" ? link.link.latency : link.link.jitter) = d.value();
    }
    context.scenario.links.push_back(std::move(link));
    return std::nullopt;
}

std::optional<ParseError> parse_server(StatementReader& reader, ParseContext& context) {
    ServerSpec server;
    server.where = reader.statement_where();
    auto name = reader.name("server", server_usage);
    if (!name) return name.error();
    server.name = name.value().text;
    if (auto error = context.names.define(NameKind::server, server.name, reader.where(name.value()))) return error;
    auto host = on_host(reader, context, server_usage);
    if (!host) return host.error();
    server.host = host.value();
    if (auto error = reader.keyword("at", server_usage)) return error;
    auto address_word = reader.value("the server's address", server_usage);
    if (!address_word) return address_word.error();
    auto address = parse_word(reader, address_word.value(), parse_socket_address);
    if (!address) return address.error();
    server.address = address.value();
    auto options = reader.options(
        {{"listener"}, {"service_time"}, {"backlog"}, {"retry"}, {"timeout"}, {"started", true}, {"load_cpu"},
         {"load_qps"}, {"load_eps"}},
        "server");
    if (!options) return options.error();
    std::optional<SourceLocation> load_without_cpu;
    for (const Option& option : options.value()) {
        if (option.key == "started") {
            server.started = option.on;
        } else if (option.key == "load_cpu") {
            auto percent = option_value(reader, option, parse_percent);
            if (!percent) return percent.error();
            server.load_cpu_percent = percent.value();
        } else if (option.key == "load_qps" || option.key == "load_eps") {
            auto n = integer_option(reader, option, 0, option.key == "load_qps" ? max_load_qps : 65535);
            if (!n) return n.error();
            (option.key == "load_qps" ? server.load_qps : server.load_eps) = static_cast<std::uint32_t>(n.value());
            load_without_cpu = option.where;
        } else if (option.key == "listener") {
            auto strategy = option_value(reader, option, parse_listener_strategy);
            if (!strategy) return strategy.error();
            server.listener = strategy.value();
        } else if (option.key == "service_time") {
            auto window = option_value(reader, option, parse_window);
            if (!window) return window.error();
            server.service_time = window.value();
        } else if (option.key == "backlog") {
            auto backlog = integer_option(reader, option, 0, 65535);
            if (!backlog) return backlog.error();
            server.backlog = static_cast<int>(backlog.value());
        } else {
            auto d = option_value(reader, option, parse_duration_value);
            if (!d) return d.error();
            if (option.key == "retry" && d.value() < min_bind_retry)
                return ParseError{reader.where(*option.value), fmt::format("retry={} is shorter than {}: a restart tries "
                                                                           "to bind once per retry until timeout=",
                                                                           option.value->text, min_bind_retry)};
            (option.key == "retry" ? server.retry : server.timeout) = d.value();
        }
    }
    if (load_without_cpu && !server.load_cpu_percent)
        return ParseError{*load_without_cpu, "load_qps= and load_eps= need load_cpu=P% on the same line"};
    context.scenario.servers.push_back(std::move(server));
    return std::nullopt;
}

std::optional<ParseError> parse_noise(StatementReader& reader, ParseContext& context) {
    NoiseSpec noise;
    noise.where = reader.statement_where();
    auto name = reader.name("noise", noise_usage);
    if (!name) return name.error();
    noise.name = name.value().text;
    if (auto error = context.names.define(NameKind::noise, noise.name, reader.where(name.value()))) return error;
    if (reader.at_end()) return reader.error_next(fmt::format("missing the noise kind (usage: {})", noise_usage));
    const Word& kind = reader.take();
    if (kind.text == "listeners") noise.kind = NoiseKind::listeners;
    else if (kind.text == "connects") noise.kind = NoiseKind::connects;
    else if (kind.text == "holders") noise.kind = NoiseKind::holders;
    else
        return ParseError{reader.where(kind), fmt::format("unknown noise kind '{}' (expected listeners, connects or "
                                                          "holders)",
                                                          kind.text)};
    auto host = on_host(reader, context, noise_usage);
    if (!host) return host.error();
    noise.host = host.value();
    const SourceLocation end = reader.where_next();
    auto options = reader.options({{"processes"}, {"rate"}, {"hold"}, {"reuseaddr", true}, {"reuseport", true},
                                   {"at"}, {"target"}, {"port"}, {"from"}, {"until"}},
                                  "noise");
    if (!options) return options.error();
    bool has_rate = false;
    bool has_port = false;
    for (const Option& option : options.value()) {
        const bool only_connects = option.key == "target";
        const bool not_connects = option.key == "at" || option.key == "port" || option.key == "reuseaddr" ||
                                  option.key == "reuseport";
        if ((only_connects && noise.kind != NoiseKind::connects) || (not_connects && noise.kind == NoiseKind::connects) ||
            (option.key == "port" && noise.kind != NoiseKind::holders))
            return ParseError{option.where, fmt::format("'{}' does not apply to {} noise", option.key, kind.text)};
        if (option.key == "reuseaddr") noise.options.reuseaddr = option.on;
        else if (option.key == "reuseport") noise.options.reuseport = option.on;
        else if (option.key == "processes") {
            auto processes = integer_option(reader, option, 1, 1024);
            if (!processes) return processes.error();
            noise.processes = static_cast<int>(processes.value());
        } else if (option.key == "rate") {
            auto rate = option_value(reader, option, parse_rate);
            if (!rate) return rate.error();
            noise.rate = rate.value();
            has_rate = true;
        } else if (option.key == "hold") {
            auto hold = option_value(reader, option, parse_window);
            if (!hold) return hold.error();
            noise.hold = hold.value();
        } else if (option.key == "from" || option.key == "until") {
            auto d = option_value(reader, option, parse_duration_value);
            if (!d) return d.error();
            if (option.key == "from") noise.from = d.value();
            else noise.until = d.value();
            if (noise.until && *noise.until < noise.from)
                return ParseError{option.where, fmt::format("until={} is before from={}", *noise.until, noise.from)};
        } else if (option.key == "at") {
            auto ip = option_value(reader, option, parse_ip_address);
            if (!ip) return ip.error();
            noise.address = ip.value();
        } else if (option.key == "port") {
            auto port = option_value(reader, option, parse_port);
            if (!port) return port.error();
            noise.port = port.value();
            has_port = true;
        } else {
            auto target = option_value(reader, option, parse_noise_target);
            if (!target) return target.error();
            if (auto* server = std::get_if<std::string>(&target.value())) {
                context.names.refer(NameKind::server, *server, reader.where(*option.value), NameKind::noise);
                noise.target_server = *server;
            } else {
                noise.target = std::get<net::SocketAddress>(target.value());
            }
        }
    }
    if (!has_rate) return ParseError{end, fmt::format("missing rate= (usage: {})", noise_usage)};
    if (noise.kind == NoiseKind::holders && !has_port)
        return ParseError{end, "missing port= (holders noise holds one fixed port)"};
    context.scenario.noise.push_back(std::move(noise));
    return std::nullopt;
}

// The policy must be registered and accept its configuration; the registry says what is wrong.
std::optional<ParseError> check_policy(const ChannelSpec& channel) {
    policies::PolicyConfig config;
    for (const auto& [key, value] : channel.policy_config) config.push_back({key, value});
    const auto found = policies::PolicyRegistry::builtin().lookup(channel.policy, config);
    const auto* error = std::get_if<policies::PolicyConfigError>(&found);
    if (error == nullptr) return std::nullopt;
    if (!error->entry) {
        std::string known;
        for (const std::string& name : policies::PolicyRegistry::builtin().names()) known += (known.empty() ? "" : ", ") + name;
        return ParseError{channel.policy_where, fmt::format("unknown policy '{}' (known: {})", channel.policy, known)};
    }
    return ParseError{channel.policy_config_where.at(*error->entry), error->message};
}

std::optional<ParseError> parse_channel(StatementReader& reader, ParseContext& context) {
    ChannelSpec channel;
    channel.where = reader.statement_where();
    auto name = reader.name("channel", channel_usage);
    if (!name) return name.error();
    channel.name = name.value().text;
    if (auto error = context.names.define(NameKind::channel, channel.name, reader.where(name.value()))) return error;
    auto host = on_host(reader, context, channel_usage);
    if (!host) return host.error();
    channel.host = host.value();
    auto options = reader.options({{"policy"}, {"target"}}, "channel", true);
    if (!options) return options.error();
    for (const Option& option : options.value()) {
        if (option.key == "policy") {
            if (!is_identifier(option.value->text))
                return ParseError{reader.where(*option.value),
                                  fmt::format("expected a policy name like pick_first, got '{}'", option.value->text)};
            channel.policy = option.value->text;
            channel.policy_where = reader.where(*option.value);
        } else if (option.key == "target") {
            auto items = split_list(*option.value, reader.where(*option.value), "targets");
            if (!items) return items.error();
            for (const Word& item : items.value()) {
                if (!is_identifier(item.text))
                    return ParseError{reader.where(item), fmt::format("expected a server name, got '{}'", item.text)};
                context.names.refer(NameKind::server, item.text, reader.where(item));
                channel.targets.push_back(item.text);
            }
        } else {
            channel.policy_config.emplace_back(option.key, option.value->text);
            channel.policy_config_where.push_back(option.where);
        }
    }
    if (channel.policy_where.line == 0) channel.policy_where = channel.where;
    if (auto error = check_policy(channel)) return error;
    context.scenario.channels.push_back(std::move(channel));
    return std::nullopt;
}

std::optional<ParseError> parse_rpcs(StatementReader& reader, ParseContext& context) {
    WorkloadSpec workload;
    workload.where = reader.statement_where();
    auto channel = reader.name("channel", rpcs_usage);
    if (!channel) return channel.error();
    workload.channel = channel.value().text;
    context.names.refer(NameKind::channel, workload.channel, reader.where(channel.value()));
    const SourceLocation end = reader.where_next();
    auto options = reader.options({{"rate"}, {"from"}, {"until"}, {"deadline"}, {"wait_for_ready", true}, {"key"}}, "rpcs");
    if (!options) return options.error();
    bool has_rate = false;
    for (const Option& option : options.value()) {
        if (option.key == "wait_for_ready") {
            workload.wait_for_ready = option.on;
        } else if (option.key == "key") {
            workload.key = option.value->text;
        } else if (option.key == "rate") {
            auto rate = option_value(reader, option, parse_rate);
            if (!rate) return rate.error();
            workload.rate = rate.value();
            has_rate = true;
        } else {
            auto d = option_value(reader, option, parse_duration_value);
            if (!d) return d.error();
            if (option.key == "from") workload.from = d.value();
            else if (option.key == "until") workload.until = d.value();
            else workload.deadline = d.value();
            if (workload.until && *workload.until < workload.from)
                return ParseError{option.where, fmt::format("until={} is before from={}", *workload.until, workload.from)};
        }
    }
    if (!has_rate) return ParseError{end, fmt::format("missing rate= (usage: {})", rpcs_usage)};
    context.scenario.workloads.push_back(std::move(workload));
    return std::nullopt;
}

}  // namespace netsim::scenarios
