// A test client process: connects to an address, records what it hears (preface, responses
// and who served them, EOF, errors) and can send requests. Tests of servers and noise use it
// to see a server the way a gRPC client would, through sockets only.
#pragma once

#include "sim/app/load_report.h"
#include "sim/app/process.h"
#include "sim/app/wire.h"

#include <string>
#include <vector>

namespace netsim::testing {

class ProbeClient final : public app::Process {
public:
    ProbeClient(app::World& world, net::HostId host, std::string name) : Process(world, host, std::move(name)) {}

    // Opens a new connection (the previous one, if any, is closed first).
    void connect(const net::SocketAddress& to) {
        if (fd_) (void)kernel().close(*fd_);
        fd_ = open_socket(to.ip.family()).value();
        (void)kernel().connect(*fd_, to);
        kernel().watch(*fd_, [this](const kernel::SocketNotice& n) { on_notice(n); });
    }
    void request(std::uint32_t rpc) {
        const app::WireMessage m{app::WireKind::request, rpc, {}};
        (void)kernel().send(*fd_, m.bytes(), m.encode());
    }
    void close() {
        if (fd_) (void)kernel().close(*fd_);
        fd_.reset();
    }

    // What happened, in order: "preface from a", "response 3 from a", "goaway", "eof",
    // "connect_failed ECONNREFUSED", "reset ECONNRESET".
    std::vector<std::string> heard;

private:
    void on_notice(const kernel::SocketNotice& n) {
        if (!fd_ || n.fd != *fd_) return;
        switch (n.event) {
            case kernel::SocketEvent::connect_failed:
            case kernel::SocketEvent::reset:
                heard.push_back(fmt::format("{} {}", kernel::event_name(n.event), n.error));
                return;
            case kernel::SocketEvent::readable:
            case kernel::SocketEvent::peer_closed:
                read_all();
                return;
            default:
                return;
        }
    }
    void read_all() {
        while (fd_) {
            auto got = kernel().recv_message(*fd_);
            if (!got.ok()) return;
            if (got.value().bytes == 0) {
                heard.push_back("eof");
                close();
                return;
            }
            if (auto load = app::LoadReport::decode(got.value().message)) {
                heard.push_back(fmt::format("load qps={} utilization={} eps={}", load->qps, load->utilization_permille, load->eps));
                continue;
            }
            auto m = app::WireMessage::decode(got.value().message);
            if (!m) continue;
            const std::string who(world().process_name(m->server));
            if (m->kind == app::WireKind::preface) heard.push_back("preface from " + who);
            if (m->kind == app::WireKind::response) heard.push_back(fmt::format("response {} from {}", m->rpc, who));
            if (m->kind == app::WireKind::goaway) heard.push_back("goaway");
        }
    }

    std::optional<kernel::Fd> fd_;
};

}  // namespace netsim::testing
