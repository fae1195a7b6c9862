#include "binlog/serialization.h"

#include <bit>

namespace cdc::binlog {

uint64_t read_varlen_u64(ByteReader& r) {
    uint8_t first = r.read_u8();
    if (!r.ok()) return 0;
    int bytes = std::countr_one(first) + 1;
    if (bytes == 1) return first >> 1;
    uint64_t high = r.read_uint_le(static_cast<size_t>(bytes - 1));
    // 2..8 bytes: the first byte keeps 8 - bytes value bits; 9 bytes: it keeps none and the
    // following 8 bytes hold the whole number.
    int shift = bytes == 9 ? 0 : 8 - bytes;
    uint64_t low = bytes == 9 ? 0 : static_cast<uint64_t>(first) >> bytes;
    return (high << shift) | low;
}

int64_t read_varlen_i64(ByteReader& r) {
    uint64_t u = read_varlen_u64(r);
    uint64_t magnitude = u >> 1;
    return static_cast<int64_t>((u & 1) != 0 ? ~magnitude : magnitude);
}

std::string_view read_varlen_str(ByteReader& r) {
    uint64_t n = read_varlen_u64(r);
    if (!r.ok()) return {};
    if (n > r.remaining()) {
        r.fail(Errc::Truncated, "string of " + std::to_string(n) + " bytes runs past the field");
        return {};
    }
    return r.read_str(static_cast<size_t>(n));
}

}  // namespace cdc::binlog
