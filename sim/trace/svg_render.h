// Draws a sequence diagram (see sequence_diagram.h) as a standalone SVG 1.1 document: lifeline
// heads across the top, a dashed line down from each, rows from top to bottom with their
// instants in the left column, arrows coloured by TCP flags (SYN blue, SYN|ACK teal, RST red,
// FIN purple, data green), boxes for lifecycle steps (a failure in red with the port's
// holders), the connectivity state as a coloured bar along the channel's lifeline, TIME_WAIT
// as a shaded band, steps as grey rules, violations as red rules, elided stretches as a gap.
// Only basic shapes, text and one marker: rsvg-convert, browsers and Inkscape all render it.
#pragma once

#include "sim/trace/sequence_diagram.h"

#include <string>

namespace netsim::trace {

void append_svg(std::string& out, const SequenceDiagram& diagram);

}  // namespace netsim::trace
