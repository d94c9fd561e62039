#include "sim/trace/trace_output.h"

namespace netsim::trace {

TraceOutput::TraceOutput(std::FILE* file) : file_(file), buffer_(&own_) { own_.reserve(2 * block_bytes); }

TraceOutput::TraceOutput(std::string& memory) : buffer_(&memory) {}

TraceOutput::~TraceOutput() { flush(); }

void TraceOutput::write_out() {
    if (ok_ && !buffer_->empty() && std::fwrite(buffer_->data(), 1, buffer_->size(), file_) != buffer_->size())
        ok_ = false;
    buffer_->clear();
}

bool TraceOutput::flush() {
    if (file_ == nullptr) return ok_;
    write_out();
    if (ok_ && std::fflush(file_) != 0) ok_ = false;
    return ok_;
}

}  // namespace netsim::trace
