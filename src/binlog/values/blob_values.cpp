// Length-prefixed types: BLOB/TEXT, GEOMETRY, JSON and VECTOR. The prefix is pack_length bytes
// (1-4, little-endian) from the table map.
//
//  BLOB      binary collation (63) => Bytes; any other collation => Text. Collation 0 means
//            the server did not say (no optional metadata): kept as Text with collation 0,
//            which format/ renders as UTF-8 where valid.
//  GEOMETRY  always Bytes: 4-byte SRID + WKB, as SELECT returns it.
//  JSON      MySQL's binary JSON, converted to JSON text into the arena.
//  VECTOR    little-endian float32s; the byte count must be a multiple of 4.
#include <string>

#include "binlog/json/json_binary.h"
#include "binlog/values/value_decoders.h"

namespace cdc::binlog::values {
namespace {

uint8_t blob_prefix_width(model::ColumnType t) {
    switch (t) {
        case model::ColumnType::TinyBlob: return 1;
        case model::ColumnType::MediumBlob: return 3;
        case model::ColumnType::Blob: return 2;
        default: return 4;
    }
}

}  // namespace

void decode_blob(ByteReader& r, const ColumnDef& col, Value& out) {
    std::string_view s = read_length_prefixed(r, col, blob_prefix_width(col.type));
    if (!r.ok()) return;
    out = col.collation == model::kBinaryCollation ? Value::of_bytes(s)
                                                   : Value::of_text(s, col.collation);
}

void decode_geometry(ByteReader& r, const ColumnDef& col, Value& out) {
    std::string_view s = read_length_prefixed(r, col, 4);
    if (!r.ok()) return;
    out = Value::of_bytes(s);
}

void decode_json(ByteReader& r, const ColumnDef& col, Value& out, ValueArena& arena) {
    std::string_view s = read_length_prefixed(r, col, 4);
    if (!r.ok()) return;
    // One growing buffer per thread: converting allocates nothing once it is large enough.
    thread_local std::string scratch;
    scratch.clear();
    Status st = json_binary_to_text(
        Bytes(reinterpret_cast<const uint8_t*>(s.data()), s.size()), scratch);
    if (!st.ok()) {
        fail_column(r, st.error().code, col, st.error().message);
        return;
    }
    out.kind = model::ValueKind::JsonText;
    out.bytes = arena.store(scratch);
}

void decode_vector(ByteReader& r, const ColumnDef& col, Value& out) {
    std::string_view s = read_length_prefixed(r, col, 4);
    if (!r.ok()) return;
    if (s.size() % 4 != 0) {
        fail_column(r, Errc::Malformed, col, std::to_string(s.size()) + " bytes, not float32s");
        return;
    }
    out.kind = model::ValueKind::Vector;
    out.bytes = s;
}

}  // namespace cdc::binlog::values
