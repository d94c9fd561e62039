// Hand-made trace records for the writer tests: a SYN / SYN-ACK / ACK / data / FIN exchange
// on 127.0.0.1 between a client port and server a's port, with the state changes and the
// lifecycle records around it, as the kernel, the network and a server report them.
#pragma once

#include "sim/core/trace.h"

#include <array>
#include <string_view>
#include <vector>

namespace netsim::testing {

inline TraceEndpoint v4(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d, std::uint16_t port) {
    TraceEndpoint e;
    e.bytes[12] = a, e.bytes[13] = b, e.bytes[14] = c, e.bytes[15] = d;
    e.port = port;
    return e;
}

inline TraceEndpoint v6_loopback(std::uint16_t port) {
    TraceEndpoint e;
    e.bytes[15] = 1;
    e.v6 = true;
    e.port = port;
    return e;
}

// Owns the fields of records made in a test, so that the views stay valid.
class RecordMaker {
public:
    TraceRecordView make(std::int64_t at_ns, std::string_view source, std::string_view kind,
                         std::initializer_list<TraceFieldView> fields) {
        storage_.emplace_back(fields);
        return TraceRecordView{Instant::at(Duration::nanoseconds(at_ns)), source, kind, storage_.back()};
    }
    TraceRecordView segment(std::int64_t at_ns, TraceEndpoint src, TraceEndpoint dst, std::uint32_t flags,
                            std::string_view names, std::int64_t bytes = 0) {
        return make(at_ns, "net", "tx",
                    {{"from", std::string_view("machine")}, {"to", std::string_view("machine")}, {"src", src},
                     {"dst", dst}, {"flags", TraceLabel{flags, names}}, {"bytes", bytes}});
    }

private:
    std::vector<std::vector<TraceFieldView>> storage_;
};

}  // namespace netsim::testing
