// Fuzz target: RowDecoder (and value rendering) with a table schema chosen by the input.
//
// Input layout:
//   byte 0        kind (bits 0-1: Write, Update, Delete, PartialUpdate), bit 2: rows event v1
//   byte 1        column count - 1 (mod 16)
//   3 bytes/col   type selector, p1, p2: the column's type and its parameters (see make_column)
//   bitmaps       columns in the before image, then (Update/PartialUpdate) in the after image,
//                 ceil(count / 8) bytes each, as TABLE_MAP and rows events carry them
//   rest          the row images
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "binlog/event.h"
#include "fuzz_rows.h"
#include "model/table_schema.h"

namespace {

using cdc::model::ColumnDef;
using cdc::model::ColumnType;

constexpr ColumnType kTypes[] = {
    ColumnType::Tiny,       ColumnType::Short,      ColumnType::Int24,     ColumnType::Long,
    ColumnType::LongLong,   ColumnType::Float,      ColumnType::Double,    ColumnType::NewDecimal,
    ColumnType::Year,       ColumnType::Date,       ColumnType::NewDate,   ColumnType::Time,
    ColumnType::Time2,      ColumnType::DateTime,   ColumnType::DateTime2, ColumnType::Timestamp,
    ColumnType::Timestamp2, ColumnType::VarChar,    ColumnType::VarString, ColumnType::String,
    ColumnType::TinyBlob,   ColumnType::MediumBlob, ColumnType::LongBlob,  ColumnType::Blob,
    ColumnType::Geometry,   ColumnType::Json,       ColumnType::Vector,    ColumnType::Bit,
    ColumnType::Enum,       ColumnType::Set,        ColumnType::Null,
};
constexpr uint16_t kCollations[] = {0, 63, 8, 33, 45, 255, 11, 28};

const std::vector<std::string>& labels() {
    static const std::vector<std::string> l = {"a", "bb", "c,d", "\xc3\xa9", "", "z"};
    return l;
}

ColumnDef make_column(uint8_t selector, uint8_t p1, uint8_t p2) {
    ColumnDef c;
    c.type = kTypes[selector % std::size(kTypes)];
    c.nullable = (p2 & 0x80) != 0;
    c.is_unsigned = (p2 & 0x40) != 0;
    c.collation = kCollations[p2 & 0x07];
    switch (c.type) {
        case ColumnType::Float: c.pack_length = 4; break;
        case ColumnType::Double: c.pack_length = 8; break;
        case ColumnType::NewDecimal:
            c.precision = static_cast<uint8_t>(1 + p1 % 65);
            c.scale = static_cast<uint8_t>((p2 & 0x3f) % (std::min<int>(c.precision, 30) + 1));
            break;
        case ColumnType::VarChar:
        case ColumnType::VarString:
        case ColumnType::String:
            c.max_length = 1 + (static_cast<uint32_t>(p1) | static_cast<uint32_t>(p2 & 0x38) << 5);
            break;
        case ColumnType::TinyBlob:
        case ColumnType::MediumBlob:
        case ColumnType::LongBlob:
        case ColumnType::Blob:
        case ColumnType::Geometry:
        case ColumnType::Json:
        case ColumnType::Vector: c.pack_length = static_cast<uint8_t>(1 + p1 % 4); break;
        case ColumnType::Bit: c.bits = static_cast<uint8_t>(1 + p1 % 64); break;
        case ColumnType::Enum:
            c.pack_length = static_cast<uint8_t>(1 + p1 % 2);
            if (p2 & 0x08) c.enum_labels = labels();
            break;
        case ColumnType::Set:
            c.pack_length = static_cast<uint8_t>(1 + p1 % 8);
            if (p2 & 0x08) c.set_labels = labels();
            break;
        case ColumnType::Time2:
        case ColumnType::DateTime2:
        case ColumnType::Timestamp2: c.fsp = static_cast<uint8_t>(p1 % 7); break;
        default: break;
    }
    return c;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using cdc::binlog::RowsKind;
    if (size < 2) return 0;
    const uint8_t flags = data[0];
    const size_t columns = 1 + data[1] % 16;
    size_t pos = 2;
    if (size - pos < columns * 3) return 0;
    cdc::model::TableSchema schema;
    schema.schema = "fuzz";
    schema.table = "t";
    for (size_t i = 0; i < columns; ++i, pos += 3) {
        schema.columns.push_back(make_column(data[pos], data[pos + 1], data[pos + 2]));
    }

    cdc::binlog::RowsEvent event;
    event.kind = static_cast<RowsKind>(flags & 0x03);
    event.version = (flags & 0x04) ? 1 : 2;
    event.type = event.version == 1 ? 23 : 30;
    event.column_count = static_cast<uint32_t>(columns);
    const size_t bitmap = (columns + 7) / 8;
    const bool two_images = event.kind == RowsKind::Update || event.kind == RowsKind::PartialUpdate;
    if (size - pos < bitmap * (two_images ? 2 : 1)) return 0;
    event.columns_before = cdc::Bytes(data + pos, bitmap);
    pos += bitmap;
    if (two_images) {
        event.columns_after = cdc::Bytes(data + pos, bitmap);
        pos += bitmap;
    }
    event.rows = cdc::Bytes(data + pos, size - pos);
    cdc::fuzz::decode_all_rows(event, schema, 0);
    return 0;
}
