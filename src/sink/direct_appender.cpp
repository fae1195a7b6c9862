#include "sink/direct_appender.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace cdc::sink {

void DirectAppender::Free::operator()(char* p) const { std::free(p); }

DirectAppender::DirectAppender(int fd, const std::string& path, bool allow_direct)
    : fd_(fd), path_(path) {
    struct stat st {};
    if (!allow_direct || ::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) return;
    direct_fd_ = ::open(path.c_str(), O_WRONLY | O_DIRECT | O_CLOEXEC);  // -1: buffered only
}

DirectAppender::~DirectAppender() {
    if (direct_fd_ >= 0) ::close(direct_fd_);
}

Status DirectAppender::reset(uint64_t length) {
    length_ = length;
    tail_size_ = static_cast<size_t>(length % kBlock);
    size_t done = 0;
    while (done < tail_size_) {
        ssize_t n = ::pread(fd_, tail_ + done, tail_size_ - done,
                            static_cast<off_t>(length - tail_size_ + done));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            // The block cannot be read back (or the file is shorter than said): stay buffered.
            if (direct_fd_ >= 0) ::close(direct_fd_);
            direct_fd_ = -1;
            return {};
        }
        done += static_cast<size_t>(n);
    }
    return {};
}

bool DirectAppender::reserve(size_t bytes) {
    if (bytes <= staging_capacity_) return true;
    // Rounded up to 1 MiB, not doubled: handed buffers are of similar size, and this one is
    // kept for the sink's life.
    constexpr size_t kStep = size_t{1} << 20;
    size_t capacity = (bytes + kStep - 1) / kStep * kStep;
    void* p = nullptr;
    if (::posix_memalign(&p, kBlock, capacity) != 0) return false;
    staging_.reset(static_cast<char*>(p));
    staging_capacity_ = capacity;
    return true;
}

Status DirectAppender::append(const char* data, size_t size) {
    for (; size > kMaxPiece; data += kMaxPiece, size -= kMaxPiece) {
        Status st = append_piece(data, kMaxPiece);
        if (!st) return st;
    }
    return append_piece(data, size);
}

Status DirectAppender::append_piece(const char* data, size_t size) {
    if (size == 0) return {};
    const uint64_t at = length_;
    if (direct_fd_ >= 0 && reserve(tail_size_ + size + kBlock)) {
        // The partial block and the new bytes, contiguous and block-aligned in memory and file.
        char* staging = staging_.get();
        std::memcpy(staging, tail_, tail_size_);
        std::memcpy(staging + tail_size_, data, size);
        const size_t total = tail_size_ + size;
        const size_t whole = total / kBlock * kBlock;
        const uint64_t base = at - tail_size_;
        if (whole > 0) {
            Status st = write_direct(staging, whole, base);
            if (!st) return st;
        }
        if (direct_fd_ >= 0) {
            Status st = write_buffered(staging + whole, total - whole, base + whole);
            if (!st) return st;
            std::memcpy(tail_, staging + whole, total - whole);
            tail_size_ = total - whole;
            length_ = at + size;
            return {};
        }
        // O_DIRECT was refused on the first try: nothing was written, go on buffered.
    }
    Status st = write_buffered(data, size, at);
    if (!st) return st;
    length_ = at + size;  // buffered for good: the partial block is not needed any more
    return {};
}

namespace {

// pwrite() of all of `size` bytes at `at`, through short writes and EINTR: 0, or the errno of
// the write that failed, with `done` bytes written before it.
int pwrite_all(int fd, const char* data, size_t size, uint64_t at, size_t& done) {
    done = 0;
    while (done < size) {
        ssize_t n = ::pwrite(fd, data + done, size - done, static_cast<off_t>(at + done));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return errno;
        done += static_cast<size_t>(n);
    }
    return 0;
}

}  // namespace

Status DirectAppender::write_direct(const char* data, size_t size, uint64_t at) {
    size_t done = 0;
    int err = pwrite_all(direct_fd_, data, size, at, done);
    if (err == EINVAL && done == 0) {
        // The file system does not do O_DIRECT (or not with this alignment).
        ::close(direct_fd_);
        direct_fd_ = -1;
        return {};
    }
    if (err == EINVAL && done % kBlock != 0) {
        // After a short write that is not block-aligned (the disk filled up, say) the next
        // direct write is refused: the rest goes through the buffered descriptor, which reports
        // the error if there is one.
        return write_buffered(data + done, size - done, at + done);
    }
    if (err != 0) {
        return make_error(Errc::Unavailable,
                          "cannot write OUTPUT_FILE " + path_ + ": " + std::strerror(err));
    }
    return {};
}

Status DirectAppender::write_buffered(const char* data, size_t size, uint64_t at) {
    size_t done = 0;
    int err = pwrite_all(fd_, data, size, at, done);
    if (err != 0) {
        return make_error(Errc::Unavailable,
                          "cannot write OUTPUT_FILE " + path_ + ": " + std::strerror(err));
    }
    return {};
}

}  // namespace cdc::sink
