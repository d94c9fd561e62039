// Where a trace writer's bytes go: a FILE (not owned) or a string in memory (tests). Writers
// append to one buffer that is handed to the file in 64 KiB blocks, so writing a record costs
// no system call. A failed write is remembered, reported by `flush()` as a value, and stops
// further writing; nothing throws.
#pragma once

#include <cstdio>
#include <string>

namespace netsim::trace {

class TraceOutput {
public:
    explicit TraceOutput(std::FILE* file);
    explicit TraceOutput(std::string& memory);
    TraceOutput(const TraceOutput&) = delete;
    TraceOutput& operator=(const TraceOutput&) = delete;
    ~TraceOutput();

    // Append here; call `commit()` after each record.
    std::string& buffer() { return *buffer_; }
    void commit() {
        if (file_ != nullptr && buffer_->size() >= block_bytes) write_out();
    }
    // Hands everything buffered to the file and flushes it; false when any write failed.
    bool flush();
    bool ok() const { return ok_; }

    static constexpr std::size_t block_bytes = 64 * 1024;

private:
    void write_out();

    std::FILE* file_ = nullptr;
    std::string own_;
    std::string* buffer_;
    bool ok_ = true;
};

}  // namespace netsim::trace
