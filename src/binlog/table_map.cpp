// TABLE_MAP: maps a table id to a table definition before each group of rows events.
//
//   post-header: table id 6 (4 if the post-header is 6), flags 2
//   body:        schema (length byte, name, NUL), table (likewise), column count (packed),
//                column types (1 byte each), metadata length (packed) + per-type metadata,
//                NULL-able bitmap, then optional metadata fields (table_map_metadata.cpp)
#include "binlog/table_map.h"

namespace cdc::binlog {

namespace {

using model::ColumnDef;
using model::ColumnType;

constexpr uint8_t kTableMapPostHeaderOld = 6;

// MYSQL_TYPE_STRING metadata hides ENUM/SET and CHAR lengths over 255 bytes: byte 0 is the
// real type with bits 4-5 flipped by length bits 8-9, byte 1 the low length byte.
void unwrap_string(ColumnDef& c, uint8_t b0, uint8_t b1) {
    uint8_t real = b0;
    uint32_t length = b1;
    if ((b0 & 0x30) != 0x30) {
        real = static_cast<uint8_t>(b0 | 0x30);
        length = b1 | (static_cast<uint32_t>((b0 & 0x30) ^ 0x30) << 4);
    }
    if (real == static_cast<uint8_t>(ColumnType::Enum)) {
        c.type = ColumnType::Enum;
        c.pack_length = b1;
    } else if (real == static_cast<uint8_t>(ColumnType::Set)) {
        c.type = ColumnType::Set;
        c.pack_length = b1;
    } else {
        c.type = ColumnType::String;
        c.max_length = length;
    }
}

// Reads the column's per-type metadata; false for a type code no server writes in TABLE_MAP.
bool read_type_metadata(ColumnDef& c, uint8_t type, ByteReader& m) {
    c.type = static_cast<ColumnType>(type);
    switch (c.type) {
        case ColumnType::Float:
        case ColumnType::Double:
        case ColumnType::Blob:
        case ColumnType::TinyBlob:
        case ColumnType::MediumBlob:
        case ColumnType::LongBlob:
        case ColumnType::Geometry:
        case ColumnType::Json:
        case ColumnType::Vector: c.pack_length = m.read_u8(); return true;
        case ColumnType::VarChar:
        case ColumnType::VarString: c.max_length = m.read_u16le(); return true;
        case ColumnType::Bit: {
            uint8_t bits = m.read_u8();
            uint8_t bytes = m.read_u8();
            c.bits = static_cast<uint8_t>(bytes * 8 + bits);
            return true;
        }
        case ColumnType::NewDecimal:
            c.precision = m.read_u8();
            c.scale = m.read_u8();
            return true;
        case ColumnType::String:
        case ColumnType::Enum:
        case ColumnType::Set: {
            uint8_t b0 = m.read_u8();
            uint8_t b1 = m.read_u8();
            if (c.type == ColumnType::String) unwrap_string(c, b0, b1);
            else c.pack_length = b1;
            return true;
        }
        case ColumnType::Time2:
        case ColumnType::DateTime2:
        case ColumnType::Timestamp2: c.fsp = m.read_u8(); return true;
        case ColumnType::Decimal:
        case ColumnType::Tiny:
        case ColumnType::Short:
        case ColumnType::Long:
        case ColumnType::Null:
        case ColumnType::Timestamp:
        case ColumnType::LongLong:
        case ColumnType::Int24:
        case ColumnType::Date:
        case ColumnType::Time:
        case ColumnType::DateTime:
        case ColumnType::Year:
        case ColumnType::NewDate: return true;
        default: return false;
    }
}

Status read_columns(const EventContext& ctx, ByteReader& r, model::TableSchema& schema,
                    uint64_t count) {
    Bytes types = r.read_bytes(static_cast<size_t>(count));
    if (!r.ok()) return ctx.error(r);
    Bytes metadata;
    Bytes nullable;
    // Servers before 5.1.? wrote no metadata block or NULL bitmap at all.
    if (!r.empty()) {
        uint64_t meta_length = r.read_packed_int();
        if (r.ok() && meta_length > count * 4) {
            return ctx.error(Errc::Malformed, "metadata block of " + std::to_string(meta_length) +
                                                  " bytes for " + std::to_string(count) +
                                                  " columns");
        }
        metadata = r.read_bytes(static_cast<size_t>(meta_length));
        nullable = r.read_bytes(static_cast<size_t>((count + 7) / 8));
        if (!r.ok()) return ctx.error(r);
    }
    ByteReader m(metadata, r.absolute_offset());
    schema.columns.resize(static_cast<size_t>(count));
    for (size_t i = 0; i < schema.columns.size(); ++i) {
        ColumnDef& c = schema.columns[i];
        if (!read_type_metadata(c, types[i], m)) {
            return ctx.error(Errc::Unsupported, "column " + std::to_string(i + 1) + " of " +
                                                    schema.schema + "." + schema.table +
                                                    " has column type " +
                                                    std::to_string(types[i]));
        }
        c.nullable = nullable.empty() || (nullable[i / 8] & (1u << (i % 8))) != 0;
    }
    if (!m.ok()) return ctx.error(m);
    if (!m.empty()) {
        return ctx.error(Errc::Malformed, std::to_string(m.remaining()) +
                                              " bytes of column metadata left over");
    }
    return {};
}

}  // namespace

Result<model::TableSchema> parse_table_map(const EventContext& ctx, Bytes body) {
    uint8_t post_header = ctx.post_header_len();
    ByteReader r = ctx.body_reader(body);
    model::TableSchema schema;
    schema.table_id = post_header == kTableMapPostHeaderOld ? r.read_u32le() : r.read_u48le();
    schema.flags = r.read_u16le();
    if (post_header > 8) r.skip(post_header - 8u);
    schema.schema = std::string(r.read_u8_prefixed_str());
    r.skip(1);  // NUL
    schema.table = std::string(r.read_u8_prefixed_str());
    r.skip(1);
    uint64_t count = r.read_packed_int();
    if (!r.ok()) return ctx.error(r);
    if (count == 0 || count > 4096) {
        return ctx.error(Errc::Malformed, "column count " + std::to_string(count));
    }
    Status columns = read_columns(ctx, r, schema, count);
    if (!columns) return columns.error();
    uint64_t optional_offset = r.absolute_offset();
    Status optional = apply_optional_metadata(ctx, r.rest(), optional_offset, schema);
    if (!optional) return optional.error();
    return schema;
}

}  // namespace cdc::binlog
