// DirectAppender: appends bytes to a regular file, the whole blocks with O_DIRECT.
//
// A buffered write() copies every byte into the page cache, and the kernel copies it again to
// the disk later; for the file sink that copy was a third of the daemon's CPU (480 MB of JSON
// in the file benchmark), on a machine where the database server needs the other core. With
// O_DIRECT the disk reads the bytes from our buffer: no copy, and the page cache the database
// lives on is not flooded with output.
//
// O_DIRECT needs block-aligned offsets, lengths and buffers, and output lines are not. So each
// append() writes, from a block-aligned staging buffer, the file's last partial block (kept
// in `tail_`) followed by the new bytes: the whole blocks with O_DIRECT, the new partial block
// through an ordinary buffered descriptor. The file's size is therefore always exactly the
// bytes appended (a reader never sees padding), and the next append rewrites that partial
// block with O_DIRECT (the kernel writes back and drops the cached page first).
//
// Where O_DIRECT is refused (tmpfs, some network file systems: the open or the first write
// fails with EINVAL) every byte goes through the buffered descriptor, as before. Durability is
// the caller's: fdatasync(fd()) covers both paths.
//
// Not thread-safe: one writer thread owns it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "common/result.h"

namespace cdc::sink {

class DirectAppender {
public:
    // `fd`: the caller's buffered descriptor of a regular file (not owned). `path` opens a
    // second, O_DIRECT one unless `allow_direct` is false.
    DirectAppender(int fd, const std::string& path, bool allow_direct = true);
    ~DirectAppender();
    DirectAppender(const DirectAppender&) = delete;
    DirectAppender& operator=(const DirectAppender&) = delete;

    // The file ends at `length` (after open or truncation): reads its last partial block.
    Status reset(uint64_t length);
    // Appends `size` bytes at the end (the length given to reset() plus what was appended).
    Status append(const char* data, size_t size);
    uint64_t length() const { return length_; }
    bool direct() const { return direct_fd_ >= 0; }

    static constexpr size_t kBlock = 4096;  // a multiple of every logical block size in use
    // append() stages at most this much at a time, so the staging buffer stays small whatever
    // the size of one append (a 150 MB line was staged whole, a third copy of it).
    static constexpr size_t kMaxPiece = size_t{8} << 20;

private:
    Status append_piece(const char* data, size_t size);
    Status write_buffered(const char* data, size_t size, uint64_t at);
    Status write_direct(const char* data, size_t size, uint64_t at);
    bool reserve(size_t bytes);

    int fd_;
    int direct_fd_ = -1;
    std::string path_;
    uint64_t length_ = 0;
    char tail_[kBlock];
    size_t tail_size_ = 0;  // length_ % kBlock bytes: the file's last partial block
    struct Free {
        void operator()(char* p) const;
    };
    std::unique_ptr<char, Free> staging_;
    size_t staging_capacity_ = 0;
};

}  // namespace cdc::sink
