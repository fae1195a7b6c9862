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

FileSink::~FileSink() {
    if (fd_ >= 0) ::close(fd_);
}

Status FileSink::recover(const model::Checkpoint& checkpoint) {
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
    size_t done = 0;
    while (done < buffer_.size()) {
        ssize_t n = ::pwrite(fd_, buffer_.data() + done, buffer_.size() - done,
                             static_cast<off_t>(length_ + done));
        if (n < 0) {
            if (errno == EINTR) continue;
            return make_error(Errc::Unavailable, "cannot write OUTPUT_FILE " + path_ + ": " +
                                                     std::strerror(errno));
        }
        done += static_cast<size_t>(n);
    }
    length_ += buffer_.size();
    buffer_.clear();
    return {};
}

Status FileSink::flush() {
    Status st = drain();
    if (!st) return st;
    if (durable_ != length_) {
        if (::fdatasync(fd_) != 0) {
            return make_error(Errc::Unavailable, "cannot sync OUTPUT_FILE " + path_ + ": " +
                                                     std::strerror(errno));
        }
        durable_ = length_;
    }
    return {};
}

void FileSink::fill_checkpoint(model::Checkpoint& checkpoint) const {
    checkpoint.output_file_length = durable_;
}

}  // namespace cdc::sink
