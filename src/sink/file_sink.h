// FileSink: JSON lines appended to OUTPUT_FILE, exactly once across crashes.
//
// The checkpoint records the file's length after each flush; on start the file is truncated
// to that length before anything is appended, so lines written after the last checkpoint (and
// replayed from it) are not repeated. A file shorter than the checkpoint says is an error: the
// output was truncated or replaced by someone else, and appending would hide lost lines.
//
// drain() hands the buffered lines to a writer thread of the sink's own, which copies them into
// the file while the pipeline goes on formatting (the kernel's copy into the page cache was a
// third of the daemon's CPU on one thread); flush() waits for it and syncs. At most one handed
// buffer waits, so memory stays at two buffers.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

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
    FileSink(std::string path, int fd);
    void write_loop();
    // Waits until the writer has written everything handed to it; its error, if any.
    Status wait_for_writer(std::unique_lock<std::mutex>& lock);

    std::string path_;
    int fd_ = -1;
    uint64_t durable_ = 0;  // bytes made durable by the last flush: what checkpoints record
    std::string buffer_;    // filled by write()

    std::mutex mutex_;
    std::condition_variable changed_;
    uint64_t length_ = 0;          // bytes written to the file; the writer adds to it
    std::string handed_;           // handed to the writer; it reads it while `writing_`
    bool writing_ = false;
    std::optional<Error> error_;   // the writer's error: sticky, nothing more is written
    bool quit_ = false;
    std::thread writer_;
};

}  // namespace cdc::sink
