#include "sim/net/segment.h"

#include <array>

namespace netsim::net {

std::string_view Segment::flag_names() const {
    // Indexed by the flag bits (SYN 1, ACK 2, FIN 4, RST 8), named in the order SYN FIN RST ACK.
    static constexpr std::array<std::string_view, 16> names = {
        "-",       "SYN",         "ACK",         "SYN|ACK",     "FIN",         "SYN|FIN",
        "FIN|ACK", "SYN|FIN|ACK", "RST",         "SYN|RST",     "RST|ACK",     "SYN|RST|ACK",
        "FIN|RST", "SYN|FIN|RST", "FIN|RST|ACK", "SYN|FIN|RST|ACK",
    };
    return names[flags & 0x0f];
}

}  // namespace netsim::net
