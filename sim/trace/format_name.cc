#include "sim/trace/format_name.h"

#include "sim/trace/chrome_format.h"
#include "sim/trace/jsonl_format.h"
#include "sim/trace/pcap_format.h"
#include "sim/trace/svg_format.h"
#include "sim/trace/text_format.h"

#include <array>
#include <utility>

namespace netsim::trace {

namespace {
constexpr std::array<std::pair<std::string_view, FormatName>, 5> names{{
    {"text", FormatName::text},
    {"jsonl", FormatName::jsonl},
    {"chrome", FormatName::chrome},
    {"pcap", FormatName::pcap},
    {"svg", FormatName::svg},
}};
}  // namespace

std::optional<FormatName> parse_format_name(std::string_view name) {
    for (const auto& [text, format] : names)
        if (text == name) return format;
    return std::nullopt;
}

std::optional<FormatName> format_for_file(std::string_view path) {
    constexpr std::array<std::pair<std::string_view, FormatName>, 6> extensions{{
        {".txt", FormatName::text},
        {".log", FormatName::text},
        {".jsonl", FormatName::jsonl},
        {".json", FormatName::chrome},
        {".pcap", FormatName::pcap},
        {".svg", FormatName::svg},
    }};
    for (const auto& [extension, format] : extensions)
        if (path.ends_with(extension)) return format;
    return std::nullopt;
}

std::string_view to_string(FormatName name) {
    for (const auto& [text, format] : names)
        if (format == name) return text;
    return "?";
}

std::string_view format_names() { return "text|jsonl|chrome|pcap|svg"; }

bool is_binary(FormatName name) { return name == FormatName::pcap; }

std::unique_ptr<TraceFormat> make_format(FormatName name, const FormatContext& context) {
    switch (name) {
        case FormatName::text: return std::make_unique<TextFormat>();
        case FormatName::jsonl: return std::make_unique<JsonlFormat>();
        case FormatName::pcap: return std::make_unique<PcapFormat>();
        case FormatName::chrome: return std::make_unique<ChromeFormat>(context.placement);
        case FormatName::svg: return std::make_unique<SvgFormat>(context.placement, context.title);
    }
    return nullptr;
}

}  // namespace netsim::trace
