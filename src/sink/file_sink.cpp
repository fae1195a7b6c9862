#include "sink/file_sink.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include "common/thread_name.h"
#include "sink/output_file_lock.h"

namespace cdc::sink {

Result<std::unique_ptr<FileSink>> FileSink::open(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
        return make_error(Errc::FailedPrecondition,
                          "cannot open OUTPUT_FILE " + path + ": " + std::strerror(errno));
    }
    if (Status locked = lock_output_file(fd, path); !locked) {
        ::close(fd);
        return locked.error();
    }
    auto sink = std::unique_ptr<FileSink>(new FileSink(path, fd));
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        return make_error(Errc::FailedPrecondition,
                          "cannot stat " + path + ": " + std::strerror(errno));
    }
    std::lock_guard<std::mutex> lock(sink->mutex_);
    sink->length_ = static_cast<uint64_t>(st.st_size);
    Status tail = sink->appender_.reset(sink->length_);
    if (!tail) return tail.error();
    sink->sync_target_ = sink->length_;
    sink->durable_ = sink->length_;
    return sink;
}

FileSink::FileSink(std::string path, int fd)
    : path_(std::move(path)), fd_(fd), appender_(fd, path_) {
    writer_ = std::thread([this] {
        name_this_thread("cdc-file-write");
        write_loop();
    });
    syncer_ = std::thread([this] {
        name_this_thread("cdc-file-sync");
        sync_loop();
    });
}

FileSink::~FileSink() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        quit_ = true;
    }
    changed_.notify_all();
    writer_.join();
    syncer_.join();
    if (fd_ >= 0) ::close(fd_);
}

void FileSink::fail(Error error) {
    if (!error_) error_ = std::move(error);
    failed_.store(true, std::memory_order_release);
}

void FileSink::write_loop() {
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
        changed_.wait(lock, [&] { return !handed_.empty() || quit_; });
        if (handed_.empty()) return;  // quit, nothing handed over
        // Only this thread pops, so the front stays put while the lock is released.
        const std::string& data = handed_.front();
        if (!error_) {  // after a failed write nothing more is written: it would not line up
            lock.unlock();
            Status appended = appender_.append(data.data(), data.size());
            lock.lock();
            if (!appended) {
                fail(appended.error());
            } else {
                length_ += data.size();
            }
        }
        handed_bytes_ -= data.size();
        std::string done = std::move(handed_.front());
        handed_.pop_front();
        done.clear();
        if (spare_.size() < kMaxHanded) spare_.push_back(std::move(done));
        changed_.notify_all();
    }
}

void FileSink::sync_loop() {
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
        // Sync only what the writer has finished: a sync before the write would not cover it.
        changed_.wait(lock, [&] {
            return quit_ || (!error_ && sync_target_ > durable_.load() && length_ >= sync_target_);
        });
        if (quit_) return;  // unsynced data is not covered by any checkpoint: nothing lost
        const uint64_t target = sync_target_;
        lock.unlock();
        int rc = ::fdatasync(fd_);  // the writer goes on appending meanwhile
        int err = errno;
        lock.lock();
        if (rc != 0) {
            fail(make_error(Errc::Unavailable,
                            "cannot sync OUTPUT_FILE " + path_ + ": " + std::strerror(err)));
        } else {
            durable_.store(target, std::memory_order_release);
        }
        changed_.notify_all();
    }
}

uint64_t FileSink::request_sync() {
    uint64_t end = length_ + handed_bytes_;
    if (end > sync_target_) {
        sync_target_ = end;
        changed_.notify_all();
    }
    return end;
}

Status FileSink::wait_for_writer(std::unique_lock<std::mutex>& lock) {
    changed_.wait(lock, [&] { return handed_.empty(); });
    if (error_) return *error_;
    return {};
}

Status FileSink::recover(const model::Checkpoint& checkpoint) {
    std::unique_lock<std::mutex> lock(mutex_);  // length_ is shared with the writer
    Status written = wait_for_writer(lock);
    if (!written) return written;
    if (!checkpoint.output_file_length) {
        // No checkpoint for this file yet: a first run appends to whatever is there.
        return {};
    }
    uint64_t want = *checkpoint.output_file_length;
    if (length_ < want) {
        return make_error(Errc::DataLoss,
                          "OUTPUT_FILE " + path_ + " has " + std::to_string(length_) +
                              " bytes but the checkpoint says " + std::to_string(want) +
                              " were written: it was truncated or replaced. Restore it, or "
                              "delete the state file to start over");
    }
    if (length_ > want) {
        if (::ftruncate(fd_, static_cast<off_t>(want)) != 0 || ::fsync(fd_) != 0) {
            return make_error(Errc::Unavailable,
                              "cannot truncate " + path_ + ": " + std::strerror(errno));
        }
        spdlog::warn(
            "OUTPUT_FILE {}: removed its last {} bytes (from byte {} to {}), written "
            "after the last checkpoint: the changes in them are written again from it",
            path_, length_ - want, want, length_);
        length_ = want;
    }
    Status tail = appender_.reset(length_);
    if (!tail) return tail;
    sync_target_ = length_;
    durable_ = length_;
    return {};
}

Status FileSink::write(const OutputRecord& record) {
    if (record.tombstone) return {};  // a Kafka compaction marker, nothing to write in a line
    if (Status st = append(record.value); !st) return st;
    buffer_ += '\n';
    return {};
}

Status FileSink::write_value_part(std::string_view part) { return append(part); }

Status FileSink::append(std::string_view bytes) {
    if (bytes.size() < kLargeBytes) {
        buffer_.append(bytes);
        return {};
    }
    return write_large(bytes);
}

Status FileSink::write_large(std::string_view bytes) {
    Status st = drain();  // what is buffered goes first
    if (!st) return st;
    std::unique_lock<std::mutex> lock(mutex_);
    st = wait_for_writer(lock);
    if (!st) return st;
    // The writer is idle and stays so (only this thread hands it buffers): the appender is ours.
    lock.unlock();
    Status appended = appender_.append(bytes.data(), bytes.size());
    lock.lock();
    if (!appended) {
        fail(appended.error());
        return *error_;
    }
    length_ += bytes.size();
    changed_.notify_all();  // the syncer may wait for length_
    return {};
}

Status FileSink::drain() {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait(lock, [&] { return handed_.size() < kMaxHanded; });
    if (error_) return *error_;
    if (buffer_.empty()) return {};
    handed_bytes_ += buffer_.size();
    handed_.push_back(std::move(buffer_));
    buffer_.clear();  // moved-from: made empty explicitly
    if (!spare_.empty()) {
        buffer_.swap(spare_.back());  // a written buffer's capacity, not a new allocation
        spare_.pop_back();
    }
    lock.unlock();
    changed_.notify_all();
    return {};
}

Status FileSink::flush() {
    Status st = drain();
    if (!st) return st;
    std::unique_lock<std::mutex> lock(mutex_);
    const uint64_t target = request_sync();
    changed_.wait(lock, [&] { return error_ || durable_.load() >= target; });
    if (error_) return *error_;
    return {};
}

Result<uint64_t> FileSink::begin_flush(model::Checkpoint& checkpoint) {
    Status st = drain();
    if (!st) return st.error();
    std::lock_guard<std::mutex> lock(mutex_);
    const uint64_t target = request_sync();
    checkpoint.output_file_length = target;
    return target;
}

Result<bool> FileSink::flush_completed(uint64_t ticket) {
    if (failed_.load(std::memory_order_acquire)) {
        std::lock_guard<std::mutex> lock(mutex_);
        return *error_;
    }
    return durable_.load(std::memory_order_acquire) >= ticket;
}

void FileSink::fill_checkpoint(model::Checkpoint& checkpoint) const {
    checkpoint.output_file_length = durable_.load(std::memory_order_acquire);
}

}  // namespace cdc::sink
