#include "tests/conformance/private_namespace.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <string>

namespace netsim::conformance {

namespace {

std::string errno_text(int error) { return std::strerror(error); }

// Number of socket lines in a /proc/self/net/tcp-style table (its first line is a header).
std::optional<int> socket_rows(const char* path) {
    std::ifstream in(path);
    if (!in) return std::nullopt;
    std::string line;
    int rows = -1;
    while (std::getline(in, line)) ++rows;
    return rows < 0 ? 0 : rows;
}

// ioctl `request` (SIOCGIFFLAGS, SIOCSIFFLAGS) on `lo`, with `request_data` naming it.
std::optional<std::string> loopback_ioctl(unsigned long request, ifreq& request_data) {
    const int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return fmt::format("socket for an interface ioctl: {}", errno_text(errno));
    std::strncpy(request_data.ifr_name, "lo", IFNAMSIZ - 1);
    const int result = ioctl(fd, request, &request_data);
    const int error = errno;
    close(fd);
    if (result != 0)
        return fmt::format("{} lo: {}", request == SIOCGIFFLAGS ? "SIOCGIFFLAGS" : "SIOCSIFFLAGS",
                           errno_text(error));
    return std::nullopt;
}

}  // namespace

std::optional<std::string> unfit_namespace_reason() {
    // 1. Not the namespace we were started from. PID 1's namespace is the host's; where /proc/1
    //    cannot be read (no CAP_SYS_PTRACE over it), the parent's serves: `unshare -n` execs the
    //    runner in place, so the parent is whoever ran unshare, outside the new namespace.
    struct stat mine {};
    if (stat("/proc/self/ns/net", &mine) != 0)
        return fmt::format("cannot stat /proc/self/ns/net: {}", errno_text(errno));
    const std::string parent = fmt::format("/proc/{}/ns/net", getppid());
    for (const std::string& other : {std::string("/proc/1/ns/net"), parent}) {
        struct stat theirs {};
        if (stat(other.c_str(), &theirs) != 0) continue;
        if (theirs.st_ino == mine.st_ino && theirs.st_dev == mine.st_dev)
            return other == parent ? fmt::format("the parent process ({}) is in this network namespace "
                                                 "too, so it was not made for the runner",
                                                 getppid())
                                   : std::string("this is PID 1's network namespace (the host's)");
        break;
    }

    // 2. Loopback only, and still down: nothing can leave the machine, and nobody has used it.
    struct if_nameindex* interfaces = if_nameindex();
    if (interfaces == nullptr) return fmt::format("cannot list interfaces: {}", errno_text(errno));
    std::string others;
    for (struct if_nameindex* i = interfaces; i->if_index != 0; ++i)
        if (std::strcmp(i->if_name, "lo") != 0) others += fmt::format(" {}", i->if_name);
    if_freenameindex(interfaces);
    if (!others.empty()) return fmt::format("the namespace has interfaces other than lo:{}", others);
    ifreq lo{};
    if (auto error = loopback_ioctl(SIOCGIFFLAGS, lo)) return error;
    if (lo.ifr_flags & IFF_UP) return std::string("lo is already up: the namespace is not fresh");

    // 3. No TCP socket at all (a TIME_WAIT left by an earlier run would change outcomes).
    for (const char* table : {"/proc/self/net/tcp", "/proc/self/net/tcp6"}) {
        const std::optional<int> rows = socket_rows(table);
        if (rows && *rows > 0)
            return fmt::format("the namespace is not fresh: {} lists {} TCP sockets", table, *rows);
    }
    return std::nullopt;
}

std::optional<std::string> bring_loopback_up() {
    ifreq lo{};
    if (auto error = loopback_ioctl(SIOCGIFFLAGS, lo)) return error;
    lo.ifr_flags = static_cast<short>(lo.ifr_flags | IFF_UP);
    return loopback_ioctl(SIOCSIFFLAGS, lo);
}

std::optional<std::string> write_ipv4_sysctl(const std::string& name, const std::string& value) {
    const std::string path = "/proc/sys/net/ipv4/" + name;
    const std::string text = value + "\n";
    const int fd = open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) return fmt::format("open {}: {}", path, errno_text(errno));
    const ssize_t written = write(fd, text.data(), text.size());
    const int error = errno;
    close(fd);
    if (written != static_cast<ssize_t>(text.size()))
        return fmt::format("write '{}' to {}: {}", value, path,
                           written < 0 ? errno_text(error) : "short write");
    return std::nullopt;
}

}  // namespace netsim::conformance
