#include "sim/trace/placement.h"

#include "sim/trace/record_view.h"

namespace netsim::trace {

void Placement::place(std::string name, std::string host) { host_of_name_[std::move(name)] = std::move(host); }

std::string_view Placement::host_of_source(std::string_view source) const {
    if (std::string_view host = kernel_host(source); !host.empty()) return host;
    auto it = host_of_name_.find(source_name(source));
    return it == host_of_name_.end() ? std::string_view{} : std::string_view(it->second);
}

std::string_view Placement::host_of(const TraceRecordView& r) const {
    if (r.source == "net") return text_field(r, "from");
    return host_of_source(r.source);
}

}  // namespace netsim::trace
