#include "sink/file_sink.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

namespace cdc::sink {

Result<std::unique_ptr<FileSink>> FileSink::open(const std::string& path) {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
        return make_error(Errc::FailedPrecondition, "cannot open OUTPUT_FILE " + path + ": " +
                                                        std::strerror(errno));
    }
    auto sink = std::unique_ptr<FileSink>(new FileSink(path, fd));
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        return make_error(Errc::FailedPrecondition, "cannot stat " + path + ": " +
                                                        std::strerror(errno));
    }
    sink->length_ = static_cast<uint64_t>(st.st_size);
    sink->durable_ = sink->length_;
    return sink;
}

FileSink::FileSink(std::string path, int fd) : path_(std::move(path)), fd_(fd) {
    writer_ = std::thread([this] { write_loop(); });
}

FileSink::~FileSink() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        quit_ = true;
    }
    changed_.notify_all();
    writer_.join();
    if (fd_ >= 0) ::close(fd_);
}

void FileSink::write_loop() {
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
        changed_.wait(lock, [&] { return writing_ || quit_; });
        if (!writing_) return;  // quit, nothing handed over
        const uint64_t at = length_;
        lock.unlock();
        std::optional<Error> failed;
        size_t done = 0;
        while (done < handed_.size()) {
            ssize_t n = ::pwrite(fd_, handed_.data() + done, handed_.size() - done,
                                 static_cast<off_t>(at + done));
            if (n < 0) {
                if (errno == EINTR) continue;
                failed = make_error(Errc::Unavailable, "cannot write OUTPUT_FILE " + path_ +
                                                           ": " + std::strerror(errno));
                break;
            }
            done += static_cast<size_t>(n);
        }
        lock.lock();
        if (failed) {
            error_ = std::move(failed);
        } else {
            length_ += handed_.size();
        }
        handed_.clear();
        writing_ = false;
        changed_.notify_all();
    }
}

Status FileSink::wait_for_writer(std::unique_lock<std::mutex>& lock) {
    changed_.wait(lock, [&] { return !writing_; });
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
        length_ = want;
    }
    durable_ = length_;
    return {};
}

Status FileSink::write(const OutputRecord& record) {
    buffer_.append(record.value);
    buffer_ += '\n';
    return {};
}

Status FileSink::drain() {
    std::unique_lock<std::mutex> lock(mutex_);
    Status st = wait_for_writer(lock);
    if (!st || buffer_.empty()) return st;
    handed_.swap(buffer_);  // buffer_ gets the writer's empty string back, capacity and all
    writing_ = true;
    lock.unlock();
    changed_.notify_all();
    return {};
}

Status FileSink::flush() {
    Status st = drain();
    if (!st) return st;
    uint64_t length = 0;
    {
        std::unique_lock<std::mutex> lock(mutex_);
        st = wait_for_writer(lock);
        if (!st) return st;
        length = length_;
    }
    if (durable_ != length) {
        if (::fdatasync(fd_) != 0) {
            return make_error(Errc::Unavailable, "cannot sync OUTPUT_FILE " + path_ + ": " +
                                                     std::strerror(errno));
        }
        durable_ = length;
    }
    return {};
}

void FileSink::fill_checkpoint(model::Checkpoint& checkpoint) const {
    checkpoint.output_file_length = durable_;
}

}  // namespace cdc::sink
