// The SVG writer's picture as data: lifelines (one per server, channel and other process
// group), rows in trace order (an arrow per segment, a box per lifecycle step or failed bind,
// a step's rule, a violation, an elided quiet stretch), and bands along a lifeline (the
// channel's connectivity state, a port's TIME_WAIT). Rows are ordinal, not to scale: a
// sequence diagram shows order, and the instants are written beside each row.
#pragma once

#include "sim/core/time.h"

#include <cstddef>
#include <string>
#include <vector>

namespace netsim::trace {

struct Lifeline {
    std::string name;     // "a", "client", "other processes"
    std::string caption;  // "server on machine"
};

enum class RowKind { arrow, box, state, step, gap, violation, note };

// How a row is drawn: the segment's flags, or a box's outcome.
enum class RowStyle { syn, syn_ack, rst, fin, data, ok, error, neutral };

struct Row {
    RowKind kind = RowKind::note;
    RowStyle style = RowStyle::neutral;
    Instant at;
    int from = -1;  // lifeline index (an arrow's sender, a box's lifeline)
    int to = -1;    // an arrow's receiver
    std::string label;
    std::vector<std::string> detail;  // further lines under the label
    int repeat = 1;                   // identical arrows at one instant, drawn once
};

struct Band {
    int lifeline = 0;
    std::size_t first_row = 0;  // the band covers rows [first_row, last_row)
    std::size_t last_row = 0;
    std::string label;          // "TIME_WAIT :42293", "READY"
    bool time_wait = false;     // else a connectivity state
};

struct SequenceDiagram {
    std::string title;
    std::vector<Lifeline> lifelines;
    std::vector<Row> rows;
    std::vector<Band> bands;
    std::size_t rows_left_out = 0;  // past the row limit
};

}  // namespace netsim::trace
