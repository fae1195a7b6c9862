// MariaDB's compressed events (log_bin_compress=ON): QUERY_COMPRESSED compresses the statement
// text, *_ROWS_COMPRESSED the row images; everything before them is as in the plain event.
// The block: one header byte 0x80 | (algorithm << 4) | n (algorithm 0 = zlib, n = 1..4),
// n bytes of the uncompressed length, big-endian, then a zlib stream.
#include <zlib.h>

#include "binlog/event_context.h"

namespace cdc::binlog {

namespace {

constexpr uint8_t kCompressedFlag = 0x80;
// More than any event a server can write (max_allowed_packet is 1 GiB): anything larger is
// corrupt input, refused before allocating.
constexpr uint64_t kMaxInflatedSize = uint64_t{1} << 30;
// deflate's best case (zlib's technical notes: 1032:1, long runs of one byte), with room for the
// stream's header: a declared size beyond what the compressed bytes can give is corrupt, and
// refused before the buffer is allocated (a 300-byte event claiming 1 GiB cost 1 GiB).
constexpr uint64_t kMaxDeflateRatio = 1032;
constexpr uint64_t kDeflateSlack = 64;

}  // namespace

Result<std::vector<uint8_t>> inflate_mariadb_block(const EventContext& ctx, Bytes block) {
    ByteReader r(block, ctx.body_offset());
    uint8_t head = r.read_u8();
    if (!r.ok()) return ctx.error(r);
    uint8_t algorithm = (head & 0x70) >> 4;
    uint8_t length_bytes = head & 0x07;
    if ((head & kCompressedFlag) == 0 || length_bytes < 1 || length_bytes > 4) {
        return ctx.error(Errc::Malformed, "compressed block header byte " + std::to_string(head));
    }
    if (algorithm != 0) {
        return ctx.error(Errc::Unsupported,
                         "compression algorithm " + std::to_string(algorithm) + " (only zlib)");
    }
    uint64_t size = r.read_uint_be(length_bytes);
    Bytes data = r.rest();
    if (!r.ok()) return ctx.error(r);
    if (size > kMaxInflatedSize) {
        return ctx.error(Errc::Malformed, "declared uncompressed size " + std::to_string(size));
    }
    if (size > data.size() * kMaxDeflateRatio + kDeflateSlack) {
        return ctx.error(Errc::Malformed, "declared uncompressed size " + std::to_string(size) +
                                              " is more than " + std::to_string(data.size()) +
                                              " bytes of zlib data can inflate to");
    }
    std::vector<uint8_t> out(static_cast<size_t>(size));
    uLongf out_size = static_cast<uLongf>(size);
    int rc = uncompress(out.data(), &out_size, data.data(), static_cast<uLong>(data.size()));
    if (rc != Z_OK || out_size != size) {
        return ctx.error(Errc::Malformed, "zlib data does not inflate to the declared " +
                                              std::to_string(size) + " bytes (zlib code " +
                                              std::to_string(rc) + ")");
    }
    return out;
}

}  // namespace cdc::binlog
