// BinlogFileReader: splits a binlog file (as the server writes it, or as
// `mariadb-binlog --raw` saves it) into events, streaming, without loading the whole file.
//
//   auto reader = BinlogFileReader::open(path);
//   while (true) {
//       auto ev = reader->next();          // error: truncated event, bad magic, I/O
//       if (!ev) ...; if (!*ev) break;      // clean end of file
//       use((*ev)->bytes, (*ev)->offset);   // valid until the next call
//   }
//
// Memory follows the bytes really read, never a size a header claims: an event longer than
// the rest of a regular file is an error before anything is allocated for it, and the buffer
// grows as data arrives (a pipe has no size to check), so a corrupt header claiming 4 GiB
// costs nothing. The buffer holds the largest event read so far, at least 1 MiB.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/byte_reader.h"
#include "common/result.h"

namespace cdc::stream {

struct RawEvent {
    Bytes bytes;
    uint64_t offset = 0;
};

class BinlogFileReader {
public:
    static Result<BinlogFileReader> open(const std::string& path);

    Result<std::optional<RawEvent>> next();
    const std::string& path() const { return path_; }

private:
    struct FileCloser {
        void operator()(std::FILE* f) const { std::fclose(f); }
    };
    BinlogFileReader(std::string path, std::FILE* file) : path_(std::move(path)), file_(file) {}
    // Makes at least n bytes available from buffer_[start_]; false at end of file.
    Result<bool> fill(size_t n);
    // Bytes of the file from offset_ on; nullopt when it is not a regular file.
    std::optional<uint64_t> bytes_left() const;

    std::string path_;
    std::unique_ptr<std::FILE, FileCloser> file_;
    std::vector<uint8_t> buffer_;
    size_t start_ = 0;     // first unconsumed byte in buffer_
    size_t end_ = 0;       // one past the last valid byte in buffer_
    uint64_t offset_ = 4;  // file offset of buffer_[start_]
};

}  // namespace cdc::stream
