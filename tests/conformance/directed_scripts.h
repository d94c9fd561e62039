// Directed socket-operation scripts: for every socket condition a script can hold a socket in
// (a TCP state, or CLOSE qualified by what left it so, as the model runner names conditions in
// StepCondition) and every operation, one script that drives socket `s` into that condition by
// a fixed recipe, applies the operation to it, settles and prints the socket table. Together
// they make the generated set cover every (operation, condition) pair, which the random
// generator reaches only by chance. Each recipe's outcome on real Linux is deterministic:
// one ephemeral port (40000), settling sleeps after whatever may send a FIN, and connects that
// are non-blocking wherever a handshake could wait.
//
// Conditions a script cannot hold deterministically are left out, and said so here:
// CLOSE/timed_out (ETIMEDOUT takes 131 s), LAST_ACK (the peer's ACK comes at once on loopback),
// CLOSING (a script's closes are never simultaneous) and SYN_RECV (no descriptor names it).
#pragma once

#include <string>
#include <vector>

namespace netsim::conformance {

struct DirectedScript {
    std::string name;       // "dir_<condition>_<operation>", file-name safe
    std::string condition;  // as StepCondition names it: "CLOSE/refused", "FIN_WAIT2", ...
    std::string operation;  // the keyword: "bind", "recv", ...
    std::string text;
};

std::vector<DirectedScript> directed_scripts();

}  // namespace netsim::conformance
