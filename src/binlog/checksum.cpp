#include "binlog/checksum.h"

#include <isa-l/crc.h>

#include <array>

#include "binlog/event.h"

namespace cdc::binlog {

namespace {

// The flags are bytes 17-18 of the header.
constexpr size_t kFlagsOffset = 17;

// The binlog's CRC32 is zlib's (IEEE 802.3, reflected). Intel's ISA-L computes it with
// carry-less multiplication where the CPU has it (chosen at run time): at zlib 1.2's speed it
// was ~15% of decoding a binlog. Like zlib, it takes and returns the final (inverted) value, so
// pieces chain.
uint32_t crc_update(uint32_t crc, Bytes bytes) {
    return crc32_gzip_refl(crc, bytes.data(), bytes.size());
}

}  // namespace

uint32_t binlog_crc32(Bytes bytes) { return crc_update(0, bytes); }

bool checksum_matches(Bytes event, bool is_format_description) {
    if (event.size() < kEventHeaderSize + kChecksumSize) return false;
    Bytes covered = event.first(event.size() - kChecksumSize);
    ByteReader trailer(event.last(kChecksumSize));
    uint32_t stored = trailer.read_u32le();
    uint32_t crc = 0;
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
