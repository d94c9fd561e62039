#include "sim/trace/append_text.h"

#include <algorithm>
#include <charconv>

namespace netsim::trace {

void append_int(std::string& out, std::int64_t value) {
    char digits[24];
    const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
    out.append(digits, end);
}

void append_seconds(std::string& out, Instant at) {
    const std::int64_t ns = at.count_ns();
    const std::uint64_t magnitude = ns < 0 ? 0 - static_cast<std::uint64_t>(ns) : static_cast<std::uint64_t>(ns);
    if (ns < 0) out += '-';
    char digits[24];
    const auto end = std::to_chars(digits, digits + sizeof digits, magnitude / 1'000'000'000).ptr;
    out.append(digits, end);
    char fraction[10] = {'.', '0', '0', '0', '0', '0', '0', '0', '0', '0'};
    std::uint64_t rest = magnitude % 1'000'000'000;
    for (int i = 9; i >= 1; --i, rest /= 10) fraction[i] = static_cast<char>('0' + rest % 10);
    out.append(fraction, sizeof fraction);
}

namespace {


// The length of the valid UTF-8 sequence at s[i], or 0 when it is not one (RFC 3629).
std::size_t utf8_length(std::string_view s, std::size_t i) {
    const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char c = b(i);
    std::size_t n = 0;
    unsigned lo = 0x80, hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) n = 2;
    else if (c >= 0xe0 && c <= 0xef) {
        n = 3;
        if (c == 0xe0) lo = 0xa0;
        if (c == 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
        n = 4;
        if (c == 0xf0) lo = 0x90;
        if (c == 0xf4) hi = 0x8f;
    } else {
        return 0;
    }
    if (i + n > s.size()) return 0;
    if (b(i + 1) < lo || b(i + 1) > hi) return 0;
    for (std::size_t k = 2; k < n; ++k)
        if (b(i + k) < 0x80 || b(i + k) > 0xbf) return 0;
    return n;
}

}  // namespace

void append_timeline_value(std::string& out, const TraceValueView& value) { append_trace_value(out, value); }

void append_json_string(std::string& out, std::string_view s) {
    out += '"';
    std::size_t run = 0;  // start of the pending run of bytes that need no escape
    for (std::size_t i = 0; i < s.size();) {
        const unsigned char c = static_cast<unsigned char>(s[i]);
        if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) {
            ++i;
            continue;
        }
        if (c >= 0x80) {
            if (const std::size_t n = utf8_length(s, i); n > 0) {
                i += n;
                continue;
            }
        }
        out.append(s.data() + run, i - run);
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\t': out += "\\t"; break;
            case '\r': out += "\\r"; break;
            case '\b': out += "\\b"; break;
            case '\f': out += "\\f"; break;
            default:
                if (c >= 0x80) {
                    out += "\\ufffd";
                } else {
                    constexpr char hex[] = "0123456789abcdef";
                    out += "\\u00";
                    out += hex[c >> 4];
                    out += hex[c & 15];
                }
        }
        ++i;
        run = i;
    }
    out.append(s.data() + run, s.size() - run);
    out += '"';
}

void append_json_value(std::string& out, const TraceValueView& value) {
    if (const auto* i = std::get_if<std::int64_t>(&value)) return append_int(out, *i);
    if (const auto* s = std::get_if<std::string_view>(&value)) return append_json_string(out, *s);
    if (const auto* l = std::get_if<TraceLabel>(&value)) return append_json_string(out, l->text);
    out += '"';
    append_endpoint_text(out, std::get<TraceEndpoint>(value));  // digits, dots, colons, brackets
    out += '"';
}

}  // namespace netsim::trace
