// NEWDECIMAL: MySQL's binary DECIMAL(precision, scale) (mysys decimal.cc, decimal2bin).
//
// The integer digits and the fraction digits are each cut into groups of 9 decimal digits; a
// full group takes 4 bytes, a partial group (the leading integer digits, the trailing fraction
// digits) takes dig2bytes[n] bytes; every group is big-endian. A negative number has every byte
// inverted, and the first bit of the whole thing is flipped (set = positive). The bytes are kept
// as they are; format/decimal_text renders them. Here they are only sized and checked.
#include "binlog/values/value_decoders.h"

namespace cdc::binlog::values {
namespace {

constexpr unsigned kDigitsPerGroup = 9;
constexpr unsigned kMaxPrecision = 65;
constexpr uint8_t kDig2Bytes[kDigitsPerGroup + 1] = {0, 1, 1, 2, 2, 3, 3, 4, 4, 4};
constexpr uint64_t kPow10[kDigitsPerGroup + 2] = {
    1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000, 10000000000};

size_t binary_size(unsigned precision, unsigned scale) {
    unsigned intg = precision - scale;
    return (intg / kDigitsPerGroup) * 4 + kDig2Bytes[intg % kDigitsPerGroup] +
           (scale / kDigitsPerGroup) * 4 + kDig2Bytes[scale % kDigitsPerGroup];
}

// Walks the groups in order and checks each holds no more digits than it may. MySQL's own
// reader (bin2decimal) accepts one extra digit in the leading integer group; so do we.
class GroupChecker {
public:
    explicit GroupChecker(Bytes b) : b_(b), negative_((b[0] & 0x80) == 0) {}

    bool group_ok(size_t nbytes, uint64_t limit) {
        uint64_t v = 0;
        for (size_t k = 0; k < nbytes; ++k) {
            uint8_t byte = b_[pos_ + k];
            if (pos_ + k == 0) byte ^= 0x80;
            v = (v << 8) | byte;
        }
        if (negative_) v ^= (uint64_t{1} << (8 * nbytes)) - 1;
        pos_ += nbytes;
        return v < limit;
    }

private:
    Bytes b_;
    bool negative_;
    size_t pos_ = 0;
};

bool groups_valid(Bytes b, unsigned precision, unsigned scale) {
    unsigned intg = precision - scale;
    unsigned intg_full = intg / kDigitsPerGroup, intg_part = intg % kDigitsPerGroup;
    unsigned frac_full = scale / kDigitsPerGroup, frac_part = scale % kDigitsPerGroup;
    GroupChecker g(b);
    if (intg_part != 0 && !g.group_ok(kDig2Bytes[intg_part], kPow10[intg_part + 1])) return false;
    for (unsigned i = 0; i < intg_full + frac_full; ++i) {
        if (!g.group_ok(4, kPow10[kDigitsPerGroup])) return false;
    }
    return frac_part == 0 || g.group_ok(kDig2Bytes[frac_part], kPow10[frac_part]);
}

}  // namespace

void decode_new_decimal(ByteReader& r, const ColumnDef& col, Value& out) {
    if (col.precision == 0 || col.precision > kMaxPrecision || col.scale > col.precision) {
        fail_column(r, Errc::Malformed, col,
                    "precision " + std::to_string(col.precision) + ", scale " +
                        std::to_string(col.scale));
        return;
    }
    Bytes b = r.read_bytes(binary_size(col.precision, col.scale));
    if (!r.ok()) return;
    if (!groups_valid(b, col.precision, col.scale)) {
        fail_column(r, Errc::Malformed, col, "decimal digit group out of range");
        return;
    }
    out.kind = model::ValueKind::Decimal;
    out.bytes = as_string_view(b);
    out.precision = col.precision;
    out.scale = col.scale;
}

}  // namespace cdc::binlog::values
