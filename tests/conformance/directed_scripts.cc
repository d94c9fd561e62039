#include "tests/conformance/directed_scripts.h"

#include <fmt/format.h>

#include <array>
#include <string_view>

namespace netsim::conformance {

namespace {

struct Recipe {
    std::string_view condition;
    std::string_view lines;  // leaves socket `s` in `condition`
};

constexpr std::string_view listener_on_5000 = "socket l\nbind l 127.0.0.1 5000\nlisten l 16\n";

// Every recipe starts after `sysctl ip_local_port_range 40000 40000`.
const std::array recipes{
    Recipe{"new_name", ""},
    Recipe{"CLOSE/fresh", "socket s\n"},
    Recipe{"CLOSE/bound", "socket s\nbind s 127.0.0.1 5000\n"},
    Recipe{"CLOSE/bind_failed", "socket x\nbind x 127.0.0.1 5000\nsocket s\nbind s 127.0.0.1 5000\n"},
    Recipe{"CLOSE/listen_failed", "socket x\nbind x 127.0.0.1 40000\nsocket s\nlisten s 16\n"},
    Recipe{"CLOSE/refused", "socket s\nconnect s 127.0.0.1 5001\n"},
    Recipe{"CLOSE/connect_failed", "socket x\nbind x 127.0.0.1 40000\nsocket s\nconnect s 127.0.0.1 5001\n"},
    Recipe{"CLOSE/reset",
           "socket l\nbind l 127.0.0.1 5000\nlisten l 16\nsocket s\nconnect s 127.0.0.1 5000\naccept l a\n"
           "setsockopt a SO_LINGER 0\nclose a\nrecv s 10\n"},
    Recipe{"CLOSE/shut_unconnected", "socket s\nshutdown s wr\n"},
    Recipe{"CLOSE/ended",
           "socket l\nbind l 127.0.0.1 5000\nlisten l 16\nsocket s\nconnect s 127.0.0.1 5000\naccept l a\n"
           "shutdown s wr\nsleep 50ms\nclose a\nsleep 50ms\n"},
    Recipe{"LISTEN", "socket s\nbind s 127.0.0.1 5002\nlisten s 16\n"},
    Recipe{"SYN_SENT",
           "socket l\nbind l 127.0.0.1 5000\nlisten l 0\nsocket x\nconnect x 127.0.0.1 5000\nsocket s\n"
           "bind s 127.0.0.1 5004\nconnect s 127.0.0.1 5000 nonblock\n"},
    Recipe{"ESTABLISHED", "socket l\nbind l 127.0.0.1 5000\nlisten l 16\nsocket s\nconnect s 127.0.0.1 5000\n"},
    Recipe{"CLOSE_WAIT",
           "socket l\nbind l 127.0.0.1 5000\nlisten l 16\nsocket s\nconnect s 127.0.0.1 5000\naccept l a\n"
           "close a\nsleep 50ms\n"},
    // The peer has had data, so it ACKs the FIN 40 ms late: the operation comes at once.
    Recipe{"FIN_WAIT1",
           "socket l\nbind l 127.0.0.1 5000\nlisten l 16\nsocket s\nconnect s 127.0.0.1 5000\naccept l a\n"
           "send s 10\nrecv a 10\nshutdown s wr\n"},
    Recipe{"FIN_WAIT2",
           "socket l\nbind l 127.0.0.1 5000\nlisten l 16\nsocket s\nconnect s 127.0.0.1 5000\naccept l a\n"
           "shutdown s wr\nsleep 50ms\n"},
    Recipe{"no_socket", "socket s\nclose s\n"},
};

struct Operation {
    std::string_view keyword;
    std::string_view line;
};

const std::array operations{
    Operation{"socket", "socket s"},
    Operation{"setsockopt", "setsockopt s SO_REUSEADDR 1"},
    Operation{"bind", "bind s 127.0.0.1 5003"},
    Operation{"listen", "listen s 16"},
    Operation{"connect", "connect s 127.0.0.1 5000 nonblock"},
    Operation{"accept", "accept s n"},
    Operation{"send", "send s 100"},
    Operation{"recv", "recv s 100"},
    Operation{"shutdown", "shutdown s wr"},
    Operation{"close", "close s"},
    Operation{"port", "port s"},
    Operation{"error", "error s"},
    Operation{"state", "state s"},
};

std::string file_safe(std::string_view condition) {
    std::string out(condition);
    for (char& c : out)
        if (c == '/') c = '_';
    return out;
}

}  // namespace

std::vector<DirectedScript> directed_scripts() {
    std::vector<DirectedScript> out;
    for (const Recipe& r : recipes) {
        for (const Operation& op : operations) {
            // A new name can only be introduced by `socket`; every other operation needs one.
            if ((r.condition == "new_name") != (op.keyword == "socket")) continue;
            DirectedScript d;
            d.name = fmt::format("dir_{}_{}", file_safe(r.condition), op.keyword);
            d.condition = r.condition;
            d.operation = op.keyword;
            d.text = fmt::format(
                "# directed: socket s {}, then {} (generate_scripts --directed)\n"
                "sysctl ip_local_port_range 40000 40000\nsysctl tcp_tw_reuse 0\n{}{}\nsleep 50ms\ntable\n",
                r.condition, op.keyword, r.lines, op.line);
            out.push_back(std::move(d));
        }
    }
    return out;
}

}  // namespace netsim::conformance
