// BIT(M): (M+7)/8 bytes, big-endian. ENUM: a 1- or 2-byte little-endian 1-based index (0 is the
// '' error value). SET: a 1..8-byte little-endian bitmask, bit i = label i.
#include "binlog/values/value_decoders.h"

namespace cdc::binlog::values {

void decode_bit(ByteReader& r, const ColumnDef& col, Value& out) {
    if (col.bits == 0 || col.bits > 64) {
        fail_column(r, Errc::Malformed, col, "width of " + std::to_string(col.bits) + " bits");
        return;
    }
    uint64_t v = r.read_uint_be((col.bits + 7u) / 8u);
    out.kind = model::ValueKind::Bit;
    out.u = v;
}

void decode_enum(ByteReader& r, const ColumnDef& col, Value& out) {
    if (col.pack_length != 1 && col.pack_length != 2) {
        fail_column(r, Errc::Malformed, col,
                    "storage size of " + std::to_string(col.pack_length) + " bytes");
        return;
    }
    uint64_t index = r.read_uint_le(col.pack_length);
    out.kind = model::ValueKind::Enum;
    out.u = index;
    out.collation = col.collation;
    if (col.enum_labels.empty()) return;
    // With labels known, format/ renders the label, '' for index 0, the number if out of range.
    out.labels = &col.enum_labels;
    if (index >= 1 && index <= col.enum_labels.size()) out.bytes = col.enum_labels[index - 1];
}

void decode_set(ByteReader& r, const ColumnDef& col, Value& out) {
    if (col.pack_length < 1 || col.pack_length > 8) {
        fail_column(r, Errc::Malformed, col,
                    "storage size of " + std::to_string(col.pack_length) + " bytes");
        return;
    }
    out.kind = model::ValueKind::Set;
    out.u = r.read_uint_le(col.pack_length);
    out.collation = col.collation;
    if (!col.set_labels.empty()) out.labels = &col.set_labels;
}

}  // namespace cdc::binlog::values
