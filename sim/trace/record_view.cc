#include "sim/trace/record_view.h"

namespace netsim::trace {

const TraceValueView* find_field(const TraceRecordView& r, std::string_view key) {
    for (const TraceFieldView& f : r.fields)
        if (f.key == key) return &f.value;
    return nullptr;
}

std::optional<std::int64_t> int_field(const TraceRecordView& r, std::string_view key) {
    const TraceValueView* v = find_field(r, key);
    if (v == nullptr) return std::nullopt;
    if (const auto* i = std::get_if<std::int64_t>(v)) return *i;
    return std::nullopt;
}

std::string_view text_field(const TraceRecordView& r, std::string_view key) {
    const TraceValueView* v = find_field(r, key);
    if (v == nullptr) return {};
    if (const auto* s = std::get_if<std::string_view>(v)) return *s;
    if (const auto* l = std::get_if<TraceLabel>(v)) return l->text;
    return {};
}

const TraceEndpoint* endpoint_field(const TraceRecordView& r, std::string_view key) {
    const TraceValueView* v = find_field(r, key);
    return v == nullptr ? nullptr : std::get_if<TraceEndpoint>(v);
}

std::string_view source_component(std::string_view source) { return source.substr(0, source.find('/')); }

std::string_view source_name(std::string_view source) {
    const std::string_view c = source_component(source);
    return c.substr(0, c.find('#'));
}

std::string_view kernel_host(std::string_view source) {
    constexpr std::string_view suffix = "/kernel";
    if (!source.ends_with(suffix)) return {};
    return source.substr(0, source.size() - suffix.size());
}

bool is_segment(const TraceRecordView& r) {
    return r.source == "net" && (r.kind == "tx" || r.kind == "drop" || r.kind == "wait");
}

}  // namespace netsim::trace
