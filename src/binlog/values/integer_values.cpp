// Fixed-size numbers: every integer width (little-endian, two's complement; INT24 sign-extended
// from bit 23), YEAR (one byte, offset from 1900) and IEEE FLOAT/DOUBLE (little-endian).
#include "binlog/values/value_decoders.h"

namespace cdc::binlog::values {
namespace {

size_t integer_width(model::ColumnType t) {
    switch (t) {
        case model::ColumnType::Tiny: return 1;
        case model::ColumnType::Short: return 2;
        case model::ColumnType::Int24: return 3;
        case model::ColumnType::Long: return 4;
        default: return 8;
    }
}

}  // namespace

void decode_integer(ByteReader& r, const ColumnDef& col, Value& out) {
    size_t width = integer_width(col.type);
    uint64_t raw = r.read_uint_le(width);
    if (col.is_unsigned) {
        out.kind = model::ValueKind::UInt;
        out.u = raw;
        return;
    }
    // Sign-extend from the top bit of the stored width.
    unsigned shift = static_cast<unsigned>(64 - 8 * width);
    out.kind = model::ValueKind::Int;
    out.i = static_cast<int64_t>(raw << shift) >> shift;
}

void decode_year(ByteReader& r, const ColumnDef&, Value& out) {
    uint8_t v = r.read_u8();
    out.kind = model::ValueKind::Year;
    out.u = v == 0 ? 0 : 1900u + v;  // 0 is the zero year '0000'
}

void decode_float(ByteReader& r, const ColumnDef&, Value& out) {
    out.kind = model::ValueKind::Float;
    out.f = r.read_float_le();
}

void decode_double(ByteReader& r, const ColumnDef&, Value& out) {
    out.kind = model::ValueKind::Double;
    out.d = r.read_double_le();
}

}  // namespace cdc::binlog::values
