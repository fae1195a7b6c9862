// StdoutSink: JSON lines on standard output. At-least-once: after a crash, the changes
// since the last checkpoint are printed again.
//
// A write that fails (the reader of a pipe is gone: EPIPE; a full disk: ENOSPC) keeps what was
// not written and fails every later flush, so no checkpoint passes the undelivered changes and
// the daemon stops with one message naming the cause and the binlog position of the first
// change not written; a restart prints them again. SIGPIPE, which would kill the process
// before it can say so, is blocked on the writing thread for the write.
#pragma once

#include <optional>
#include <string>

#include "sink/sink.h"

namespace cdc::sink {

class StdoutSink final : public Sink {
public:
    explicit StdoutSink(int fd = 1) : fd_(fd) {}

    Status recover(const model::Checkpoint&) override { return {}; }
    Status write(const OutputRecord& record) override;
    Status flush() override;
    uint64_t pending_bytes() const override { return buffer_.size() - written_; }

private:
    Error write_failed(int err);

    int fd_;
    std::string buffer_;
    size_t written_ = 0;           // bytes at the front of buffer_ that a short write delivered
    std::string first_change_;     // "file:pos" of the first change in buffer_, for the message
    uint64_t changes_ = 0;         // changes in buffer_
    std::optional<Error> failed_;  // sticky: nothing is written after a failed write
};

}  // namespace cdc::sink
