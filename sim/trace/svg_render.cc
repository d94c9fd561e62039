#include "sim/trace/svg_render.h"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>

namespace netsim::trace {

namespace {

constexpr int time_column = 130;   // the instants, left of the first lifeline
constexpr int lane = 230;          // between lifelines
constexpr int head_top = 56;
constexpr int head_height = 42;
constexpr int rows_top = head_top + head_height + 18;
constexpr int line_height = 15;
constexpr int right_margin = 190;  // room for the labels of loops on the last lifeline

std::string escape(std::string_view text) {
    std::string out;
    for (char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            default: out += c;
        }
    }
    return out;
}

int row_height(const Row& r) {
    switch (r.kind) {
        case RowKind::gap: return 24;
        case RowKind::step: return 22;
        case RowKind::arrow: return 32;
        default: return 26 + line_height * static_cast<int>(r.detail.size());
    }
}

std::string_view color(RowStyle s) {
    switch (s) {
        case RowStyle::syn: return "#1f5fbf";
        case RowStyle::syn_ack: return "#00897b";
        case RowStyle::rst: return "#d32f2f";
        case RowStyle::fin: return "#7b1fa2";
        case RowStyle::data: return "#2e7d32";
        case RowStyle::ok: return "#2e7d32";
        case RowStyle::error: return "#c62828";
        case RowStyle::neutral: return "#555555";
    }
    return "#555555";
}

std::string_view state_color(std::string_view state) {
    if (state == "READY") return "#43a047";
    if (state == "CONNECTING") return "#fbc02d";
    if (state == "TRANSIENT_FAILURE") return "#e53935";
    if (state == "IDLE") return "#90a4ae";
    return "#bdbdbd";
}

int x_of(int lifeline) { return time_column + lane / 2 + lifeline * lane; }

std::string seconds_text(Instant at) {
    const std::int64_t ns = at.count_ns();
    return fmt::format("{}.{:06}s", ns / 1'000'000'000, ns % 1'000'000'000 / 1000);
}

class Renderer {
public:
    Renderer(std::string& out, const SequenceDiagram& d) : out_(out), d_(d) {
        int y = rows_top;
        for (const Row& r : d.rows) {
            top_.push_back(y);
            y += row_height(r);
        }
        top_.push_back(y);
        const int lanes = std::max<int>(1, static_cast<int>(d.lifelines.size()));
        std::size_t longest = d.title.size();
        for (const Row& r : d.rows)
            if (r.kind == RowKind::violation) {
                longest = std::max(longest, r.label.size() + 11);
                for (const std::string& line : r.detail) longest = std::max(longest, line.size());
            }
        width_ = std::max(time_column + lanes * lane + right_margin, time_column + static_cast<int>(longest) * 7 + 40);
        height_ = y + (d.rows_left_out > 0 ? 40 : 16);
    }

    void draw() {
        emit(R"(<?xml version="1.0" encoding="UTF-8"?>)" "\n");
        emit(fmt::format(R"(<svg xmlns="http://www.w3.org/2000/svg" width="{0}" height="{1}" viewBox="0 0 {0} {1}">)" "\n",
                         width_, height_));
        emit("<defs><marker id=\"head\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" "
             "orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"context-stroke\"/></marker></defs>\n");
        emit(fmt::format(R"(<rect x="0" y="0" width="{}" height="{}" fill="#ffffff"/>)" "\n", width_, height_));
        emit(fmt::format(R"(<g font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="12" fill="#222222">)" "\n"));
        emit(fmt::format(R"(<text x="16" y="28" font-size="17" font-weight="bold">{}</text>)" "\n", escape(d_.title)));
        emit(R"(<text x="16" y="46" font-size="11" fill="#666666">rows in trace order, not to scale; instants on the left; bare ACKs left out</text>)" "\n");
        heads();
        bands();
        for (std::size_t i = 0; i < d_.rows.size(); ++i) row(i);
        if (d_.rows_left_out > 0)
            emit(fmt::format(R"(<text x="16" y="{}" fill="#c62828">... {} more rows not drawn: narrow the window with --around-failure D or --trace-from/--trace-until</text>)" "\n",
                             top_.back() + 24, d_.rows_left_out));
        emit("</g>\n</svg>\n");
    }

private:
    void emit(std::string_view s) { out_ += s; }

    void heads() {
        for (std::size_t i = 0; i < d_.lifelines.size(); ++i) {
            const int x = x_of(static_cast<int>(i));
            const Lifeline& l = d_.lifelines[i];
            emit(fmt::format(R"(<line x1="{0}" y1="{1}" x2="{0}" y2="{2}" stroke="#9e9e9e" stroke-dasharray="4 4"/>)" "\n",
                             x, head_top + head_height, top_.back()));
            emit(fmt::format(R"(<rect x="{}" y="{}" width="{}" height="{}" rx="6" fill="#eceff1" stroke="#607d8b"/>)" "\n",
                             x - lane / 2 + 14, head_top, lane - 28, head_height));
            emit(fmt::format(R"(<text x="{}" y="{}" text-anchor="middle" font-size="14" font-weight="bold">{}</text>)" "\n", x,
                             head_top + 18, escape(l.name)));
            emit(fmt::format(R"(<text x="{}" y="{}" text-anchor="middle" font-size="11" fill="#546e7a">{}</text>)" "\n", x,
                             head_top + 34, escape(l.caption)));
        }
    }

    void bands() {
        for (const Band& b : d_.bands) {
            const int x = x_of(b.lifeline);
            const int y1 = top_[std::min(b.first_row, d_.rows.size())] + (b.time_wait ? 4 : row_height(d_.rows[std::min(b.first_row, d_.rows.size() - 1)]) / 2);
            const int y2 = std::max(y1 + 4, top_[std::min(b.last_row, d_.rows.size())]);
            if (b.time_wait) {
                emit(fmt::format(R"(<rect x="{}" y="{}" width="16" height="{}" fill="#ff9800" fill-opacity="0.3" stroke="#ef6c00" stroke-opacity="0.6"/>)" "\n",
                                 x + 6, y1, y2 - y1));
            } else {
                emit(fmt::format(R"(<rect x="{}" y="{}" width="8" height="{}" fill="{}"/>)" "\n", x - 4, y1, y2 - y1,
                                 state_color(b.label)));
            }
        }
    }

    void row(std::size_t i) {
        const Row& r = d_.rows[i];
        const int y = top_[i];
        const int h = row_height(r);
        const int mid = y + h / 2;
        if (r.kind != RowKind::gap && (i == 0 || d_.rows[i - 1].at != r.at || d_.rows[i - 1].kind == RowKind::gap))
            emit(fmt::format(R"(<text x="12" y="{}" font-size="11" fill="#444444">{}</text>)" "\n", mid + 4, seconds_text(r.at)));
        switch (r.kind) {
            case RowKind::gap: return gap(r, y, h);
            case RowKind::step: return rule(mid, "step " + r.label);
            case RowKind::violation: return violation(r, y);
            case RowKind::arrow: return arrow(r, mid);
            case RowKind::box: return box(r, y, h);
            case RowKind::state: return state(r, mid);
            case RowKind::note: return note(r, mid);
        }
    }

    void gap(const Row& r, int y, int h) {
        emit(fmt::format(R"(<rect x="{}" y="{}" width="{}" height="{}" fill="#f5f5f5"/>)" "\n", time_column - 20, y + 4,
                         width_ - time_column, h - 8));
        emit(fmt::format(R"(<text x="12" y="{}" font-size="11" fill="#888888" font-style="italic">... {} later</text>)" "\n",
                         y + h / 2 + 4, escape(r.label)));
    }

    void rule(int y, const std::string& text) {
        emit(fmt::format(R"(<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#9e9e9e" stroke-dasharray="6 3"/>)" "\n",
                         time_column - 20, y, width_ - right_margin / 2, y));
        emit(fmt::format(R"(<text x="{}" y="{}" font-size="11" fill="#757575">{}</text>)" "\n", time_column - 16, y - 3,
                         escape(text)));
    }

    void violation(const Row& r, int y) {
        const int h = row_height(r);
        emit(fmt::format(R"(<rect x="{}" y="{}" width="{}" height="{}" fill="#ffebee" stroke="#c62828"/>)" "\n", time_column - 20,
                         y + 2, width_ - time_column - right_margin / 2 + 20, h - 4));
        emit(fmt::format(R"(<text x="{}" y="{}" font-weight="bold" fill="#b71c1c">VIOLATION  {}</text>)" "\n", time_column - 12,
                         y + 17, escape(r.label)));
        for (std::size_t k = 0; k < r.detail.size(); ++k)
            emit(fmt::format(R"(<text x="{}" y="{}" font-size="11" fill="#b71c1c">{}</text>)" "\n", time_column - 4,
                             y + 17 + line_height * static_cast<int>(k + 1), escape(r.detail[k])));
    }

    void arrow(const Row& r, int y) {
        const std::string_view c = color(r.style);
        const int x1 = x_of(r.from), x2 = x_of(r.to);
        std::string label = r.label;
        if (r.repeat > 1) label += fmt::format("  \u00d7{}", r.repeat);
        const std::string ports = r.detail.empty() ? "" : r.detail.front();
        if (x1 == x2) {  // both ends on one lifeline: a loop to the right
            emit(fmt::format(R"~(<path d="M{0},{1} h36 v10 h-34" fill="none" stroke="{2}" stroke-width="1.6" marker-end="url(#head)"/>)~" "\n",
                             x1 + 2, y - 6, c));
            emit(fmt::format(R"(<text x="{}" y="{}" font-size="11" fill="{}">{} <tspan fill="#777777">{}</tspan></text>)" "\n",
                             x1 + 44, y + 2, c, escape(label), escape(ports)));
            return;
        }
        const int dir = x2 > x1 ? 1 : -1;
        emit(fmt::format(R"~(<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="1.6" marker-end="url(#head)"/>)~" "\n",
                         x1 + 6 * dir, y + 4, x2 - 6 * dir, y + 4, c));
        emit(fmt::format(R"(<text x="{}" y="{}" text-anchor="middle" font-size="11" fill="{}"><tspan font-weight="bold">{}</tspan> <tspan fill="#777777">{}</tspan></text>)" "\n",
                         (x1 + x2) / 2, y - 1, c, escape(label), escape(ports)));
    }

    void box(const Row& r, int y, int h) {
        const int x = x_of(r.from);
        const bool error = r.style == RowStyle::error;
        int width = 150;
        for (const std::string& d : r.detail) width = std::max(width, static_cast<int>(d.size()) * 6 + 16);
        width = std::max(width, static_cast<int>(r.label.size()) * 7 + 16);
        emit(fmt::format(R"(<rect x="{}" y="{}" width="{}" height="{}" rx="4" fill="{}" stroke="{}"/>)" "\n", x - 75, y + 3,
                         width, h - 6, error ? "#ffcdd2" : r.style == RowStyle::ok ? "#e8f5e9" : "#fafafa", color(r.style)));
        emit(fmt::format(R"(<text x="{}" y="{}" font-weight="bold" fill="{}">{}</text>)" "\n", x - 67, y + 18,
                         error ? "#b71c1c" : "#222222", escape(r.label)));
        for (std::size_t k = 0; k < r.detail.size(); ++k)
            emit(fmt::format(R"(<text x="{}" y="{}" font-size="11" fill="#5d4037">{}</text>)" "\n", x - 67,
                             y + 18 + line_height * static_cast<int>(k + 1), escape(r.detail[k])));
    }

    void state(const Row& r, int y) {
        const int x = x_of(r.from);
        emit(fmt::format(R"(<rect x="{}" y="{}" width="{}" height="18" rx="9" fill="{}" stroke="#37474f" stroke-width="0.6"/>)" "\n",
                         x + 10, y - 9, static_cast<int>(r.label.size()) * 8 + 18, state_color(r.label)));
        emit(fmt::format(R"(<text x="{}" y="{}" font-size="11" font-weight="bold">{}</text>)" "\n", x + 19, y + 4,
                         escape(r.label)));
    }

    void note(const Row& r, int y) {
        emit(fmt::format(R"(<text x="{}" y="{}" font-size="11" fill="#e65100">{}</text>)" "\n", x_of(r.from) + 60, y + 4,
                         escape(r.label)));
    }

    std::string& out_;
    const SequenceDiagram& d_;
    std::vector<int> top_;
    int width_ = 0;
    int height_ = 0;
};

}  // namespace

void append_svg(std::string& out, const SequenceDiagram& diagram) { Renderer(out, diagram).draw(); }

}  // namespace netsim::trace
