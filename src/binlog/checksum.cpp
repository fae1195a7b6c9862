#include "binlog/checksum.h"

#include <zlib.h>

#include <array>

#include "binlog/event.h"

namespace cdc::binlog {

namespace {

// The flags are bytes 17-18 of the header.
constexpr size_t kFlagsOffset = 17;

uint32_t crc_update(uint32_t crc, Bytes bytes) {
    // zlib takes uInt lengths: feed large inputs in pieces.
    while (!bytes.empty()) {
        size_t n = bytes.size() < (1u << 30) ? bytes.size() : (1u << 30);
        crc = static_cast<uint32_t>(crc32(crc, bytes.data(), static_cast<uInt>(n)));
        bytes = bytes.subspan(n);
    }
    return crc;
}

}  // namespace

uint32_t binlog_crc32(Bytes bytes) { return crc_update(static_cast<uint32_t>(crc32(0, nullptr, 0)), bytes); }

bool checksum_matches(Bytes event, bool is_format_description) {
    if (event.size() < kEventHeaderSize + kChecksumSize) return false;
    Bytes covered = event.first(event.size() - kChecksumSize);
    ByteReader trailer(event.last(kChecksumSize));
    uint32_t stored = trailer.read_u32le();
    uint32_t crc = static_cast<uint32_t>(crc32(0, nullptr, 0));
    if (is_format_description && (covered[kFlagsOffset] & kLogEventBinlogInUseFlag) != 0) {
        std::array<uint8_t, 1> flag_byte{
            static_cast<uint8_t>(covered[kFlagsOffset] & ~kLogEventBinlogInUseFlag)};
        crc = crc_update(crc, covered.first(kFlagsOffset));
        crc = crc_update(crc, Bytes(flag_byte));
        crc = crc_update(crc, covered.subspan(kFlagsOffset + 1));
    } else {
        crc = crc_update(crc, covered);
    }
    return crc == stored;
}

}  // namespace cdc::binlog
