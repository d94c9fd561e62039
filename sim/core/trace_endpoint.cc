#include "sim/core/trace_endpoint.h"

#include <charconv>

namespace netsim {

namespace {

void append_decimal(std::string& out, unsigned value) {
    char digits[8];
    const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
    out.append(digits, end);
}

void append_v4(std::string& out, const std::array<std::uint8_t, 16>& b) {
    for (std::size_t i = 12; i < 16; ++i) {
        if (i > 12) out += '.';
        append_decimal(out, b[i]);
    }
}

bool is_v4_mapped(const std::array<std::uint8_t, 16>& b) {
    for (std::size_t i = 0; i < 10; ++i)
        if (b[i] != 0) return false;
    return b[10] == 0xff && b[11] == 0xff;
}

void append_v6(std::string& out, const std::array<std::uint8_t, 16>& b) {
    if (is_v4_mapped(b)) {
        out += "::ffff:";
        append_v4(out, b);
        return;
    }
    std::array<unsigned, 8> g{};
    for (std::size_t i = 0; i < 8; ++i) g[i] = (unsigned{b[2 * i]} << 8) | b[2 * i + 1];
    // RFC 5952: compress the longest run of two or more zero groups (the first one on a tie).
    int best_start = -1, best_len = 0;
    for (int i = 0; i < 8;) {
        if (g[static_cast<std::size_t>(i)] != 0) {
            ++i;
            continue;
        }
        int j = i;
        while (j < 8 && g[static_cast<std::size_t>(j)] == 0) ++j;
        if (j - i > best_len && j - i >= 2) {
            best_start = i;
            best_len = j - i;
        }
        i = j;
    }
    bool after_colon = true;
    for (int i = 0; i < 8; ++i) {
        if (i == best_start) {
            out += "::";
            i += best_len - 1;
            after_colon = true;
            continue;
        }
        if (!after_colon) out += ':';
        char digits[8];
        const auto end = std::to_chars(digits, digits + sizeof digits, g[static_cast<std::size_t>(i)], 16).ptr;
        out.append(digits, end);
        after_colon = false;
    }
}

}  // namespace

void append_endpoint_text(std::string& out, const TraceEndpoint& e) {
    if (!e.v6) {
        append_v4(out, e.bytes);
    } else {
        if (e.has_port) out += '[';
        append_v6(out, e.bytes);
        if (e.has_port) out += ']';
    }
    if (!e.has_port) return;
    out += ':';
    append_decimal(out, e.port);
}

std::string endpoint_text(const TraceEndpoint& endpoint) {
    std::string out;
    append_endpoint_text(out, endpoint);
    return out;
}

}  // namespace netsim
