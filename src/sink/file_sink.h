// FileSink: JSON lines appended to OUTPUT_FILE, exactly once across crashes.
//
// The checkpoint records the file's length after each flush; on start the file is truncated
// to that length before anything is appended, so lines written after the last checkpoint (and
// replayed from it) are not repeated. A file shorter than the checkpoint says is an error: the
// output was truncated or replaced by someone else, and appending would hide lost lines. The
// truncation is logged with its byte count. The file is locked (output_file_lock.h): a second
// daemon given the same OUTPUT_FILE is refused.
//
// drain() hands the buffered lines to a writer thread of the sink's own, which copies them into
// the file while the pipeline goes on formatting (the kernel's copy into the page cache was a
// third of the daemon's CPU on one thread); flush() waits for it and syncs. At most
// kMaxHanded buffers wait for the writer (a slow moment of the disk does not stop formatting at
// once), so memory stays at a few buffers. The sync runs on a third thread, so that
// neither formatting nor writing stops for it: begin_flush() asks for the file to be durable up
// to its current end and returns that length as the ticket, the length the checkpoint records.
// The writer appends through a DirectAppender (O_DIRECT where the file system allows it), so the
// bytes are not copied into the page cache.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "sink/direct_appender.h"
#include "sink/sink.h"

namespace cdc::sink {

class FileSink final : public Sink {
public:
    static Result<std::unique_ptr<FileSink>> open(const std::string& path);
    ~FileSink() override;

    Status recover(const model::Checkpoint& checkpoint) override;
    Status write(const OutputRecord& record) override;
    bool takes_value_parts() const override { return true; }
    bool uses_key() const override { return false; }
    Status write_value_part(std::string_view part) override;
    Status drain() override;
    Status flush() override;
    uint64_t pending_bytes() const override { return buffer_.size(); }
    void fill_checkpoint(model::Checkpoint& checkpoint) const override;
    Result<uint64_t> begin_flush(model::Checkpoint& checkpoint) override;
    Result<bool> flush_completed(uint64_t ticket) override;

private:
    FileSink(std::string path, int fd);
    void write_loop();
    // Bytes of at least kLargeBytes: written from the caller's memory once the writer is
    // idle, not copied into buffer_ (a huge row's JSON was held twice, and staged a third time).
    Status append(std::string_view bytes);
    Status write_large(std::string_view bytes);
    static constexpr size_t kLargeBytes = size_t{1} << 20;
    void sync_loop();
    // Waits until the writer has written everything handed to it; its error, if any.
    Status wait_for_writer(std::unique_lock<std::mutex>& lock);
    // Asks the syncer to make the file durable up to the end of what was handed over; that
    // length. Called with mutex_ held.
    uint64_t request_sync();
    void fail(Error error);  // with mutex_ held

    std::string path_;
    int fd_ = -1;
    std::string buffer_;       // filled by write()
    DirectAppender appender_;  // used by the writer thread, and by recover() while it is idle

    std::mutex mutex_;
    std::condition_variable changed_;
    uint64_t length_ = 0;  // bytes written to the file; the writer adds to it
    static constexpr size_t kMaxHanded = 2;
    std::deque<std::string> handed_;    // handed to the writer, oldest first; it writes the front
    uint64_t handed_bytes_ = 0;         // their total size
    std::vector<std::string> spare_;    // written buffers, kept for their capacity
    uint64_t sync_target_ = 0;          // the length the syncer is asked to make durable
    std::atomic<uint64_t> durable_{0};  // bytes known durable: what checkpoints record
    std::optional<Error> error_;        // the writer's or syncer's error: sticky
    std::atomic<bool> failed_{false};   // error_ is set (read without the lock)
    bool quit_ = false;
    std::thread writer_;
    std::thread syncer_;
};

}  // namespace cdc::sink
