// CHAR/BINARY and VARCHAR/VARBINARY: a 1-byte length when the column's maximum byte length is
// below 256, else 2 bytes (LE), then the bytes in the column's character set.
//
// The server strips CHAR's trailing pad characters before it writes a row (Field_string::pack):
// spaces, which the text protocol does not show either, and for BINARY(N) the 0x00 padding,
// which it does show. BINARY values are therefore padded back to N bytes, so a row looks the
// same here as in a snapshot SELECT.
#include <cstring>

#include "binlog/values/value_decoders.h"

namespace cdc::binlog::values {
namespace {

std::string_view pad_binary(std::string_view s, size_t n, ValueArena& arena) {
    char* p = arena.allocate(n);
    std::memcpy(p, s.data(), s.size());
    std::memset(p + s.size(), 0, n - s.size());
    return {p, n};
}

}  // namespace

void decode_string(ByteReader& r, const ColumnDef& col, Value& out, ValueArena& arena) {
    size_t len = col.max_length < 256 ? r.read_u8() : r.read_u16le();
    std::string_view s = r.read_str(len);
    if (!r.ok()) return;
    if (col.collation == model::kBinaryCollation) {
        if (col.type == model::ColumnType::String && s.size() < col.max_length) {
            s = pad_binary(s, col.max_length, arena);
        }
        out = Value::of_bytes(s);
        return;
    }
    out = Value::of_text(s, col.collation);
}

}  // namespace cdc::binlog::values
