#include "stream/binlog_file_reader.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "binlog/event.h"

namespace cdc::stream {
namespace {

constexpr uint8_t kBinlogMagic[4] = {0xfe, 0x62, 0x69, 0x6e};
constexpr size_t kReadChunk = 1 << 20;

}  // namespace

Result<BinlogFileReader> BinlogFileReader::open(const std::string& path) {
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (f == nullptr) {
        return make_error(Errc::InvalidArgument,
                          "cannot open " + path + ": " + std::strerror(errno));
    }
    BinlogFileReader reader(path, f);
    uint8_t magic[4];
    if (std::fread(magic, 1, 4, f) != 4 || std::memcmp(magic, kBinlogMagic, 4) != 0) {
        return make_error(Errc::Malformed,
                          path + " is not a binlog file (no fe 62 69 6e magic at offset 0)");
    }
    return reader;
}

Result<bool> BinlogFileReader::fill(size_t n) {
    if (end_ - start_ >= n) return true;
    if (start_ > 0) {
        std::memmove(buffer_.data(), buffer_.data() + start_, end_ - start_);
        end_ -= start_;
        start_ = 0;
    }
    while (end_ < n) {
        if (end_ == buffer_.size()) {
            // Doubling as bytes arrive: a claimed size is only reached if the data is there.
            buffer_.resize(buffer_.size() < kReadChunk ? kReadChunk
                                                       : std::min(n, buffer_.size() * 2));
        }
        size_t got = std::fread(buffer_.data() + end_, 1, buffer_.size() - end_, file_.get());
        if (got == 0) {
            if (std::ferror(file_.get()) != 0) {
                return make_error(Errc::Unavailable,
                                  "read error in " + path_ + ": " + std::strerror(errno));
            }
            return false;
        }
        end_ += got;
    }
    return true;
}

std::optional<uint64_t> BinlogFileReader::bytes_left() const {
    struct stat st {};
    if (::fstat(::fileno(file_.get()), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
    const auto size = static_cast<uint64_t>(st.st_size);
    return size > offset_ ? size - offset_ : 0;
}

Result<std::optional<RawEvent>> BinlogFileReader::next() {
    auto have_header = fill(binlog::kEventHeaderSize);
    if (!have_header) return have_header.error();
    if (!*have_header) {
        if (end_ == start_) return std::optional<RawEvent>{};
        return make_error(Errc::Truncated,
                          path_ + ": truncated event header at offset " + std::to_string(offset_) +
                              " (" + std::to_string(end_ - start_) + " bytes before end of file)");
    }
    const uint8_t* h = buffer_.data() + start_;
    uint32_t size = static_cast<uint32_t>(h[9]) | static_cast<uint32_t>(h[10]) << 8 |
                    static_cast<uint32_t>(h[11]) << 16 | static_cast<uint32_t>(h[12]) << 24;
    if (size < binlog::kEventHeaderSize) {
        return make_error(Errc::Malformed, path_ + ": event at offset " + std::to_string(offset_) +
                                               " has impossible size " + std::to_string(size));
    }
    auto truncated = [&](uint64_t have) {
        return make_error(Errc::Truncated, path_ + ": truncated or corrupt event at offset " +
                                               std::to_string(offset_) + ": its header says " +
                                               std::to_string(size) + " bytes, the file has " +
                                               std::to_string(have) + " from there");
    };
    if (size > end_ - start_) {
        std::optional<uint64_t> left = bytes_left();
        if (left && size > *left) return truncated(*left);
    }
    auto have_event = fill(size);
    if (!have_event) return have_event.error();
    if (!*have_event) return truncated(end_ - start_);
    RawEvent ev{Bytes(buffer_.data() + start_, size), offset_};
    start_ += size;
    offset_ += size;
    return std::optional<RawEvent>(ev);
}

}  // namespace cdc::stream
