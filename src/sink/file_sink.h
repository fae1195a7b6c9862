// FileSink: JSON lines appended to OUTPUT_FILE, exactly once across crashes.
//
// The checkpoint records the file's length after each flush; on start the file is truncated
// to that length before anything is appended, so lines written after the last checkpoint (and
// replayed from it) are not repeated. A file shorter than the checkpoint says is an error: the
// output was truncated or replaced by someone else, and appending would hide lost lines.
#pragma once

#include <memory>
#include <string>

#include "sink/sink.h"

namespace cdc::sink {

class FileSink final : public Sink {
public:
    static Result<std::unique_ptr<FileSink>> open(const std::string& path);
    ~FileSink() override;

    Status recover(const model::Checkpoint& checkpoint) override;
    Status write(const OutputRecord& record) override;
    Status drain() override;
    Status flush() override;
    uint64_t pending_bytes() const override { return buffer_.size(); }
    void fill_checkpoint(model::Checkpoint& checkpoint) const override;

private:
    FileSink(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
    std::string path_;
    int fd_ = -1;
    uint64_t length_ = 0;   // bytes written to the file (drained or flushed)
    uint64_t durable_ = 0;  // bytes made durable by the last flush: what checkpoints record
    std::string buffer_;
};

}  // namespace cdc::sink
