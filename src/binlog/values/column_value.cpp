#include "binlog/values/column_value.h"

#include "binlog/values/value_decoders.h"

namespace cdc::binlog {

using model::ColumnType;

void decode_column_value(ByteReader& r, const model::ColumnDef& col, model::Value& out,
                         model::ValueArena& arena) {
    out = model::Value{};
    switch (col.type) {
        case ColumnType::Tiny:
        case ColumnType::Short:
        case ColumnType::Int24:
        case ColumnType::Long:
        case ColumnType::LongLong: values::decode_integer(r, col, out); return;
        case ColumnType::Year: values::decode_year(r, col, out); return;
        case ColumnType::Float: values::decode_float(r, col, out); return;
        case ColumnType::Double: values::decode_double(r, col, out); return;
        case ColumnType::NewDecimal: values::decode_new_decimal(r, col, out); return;
        case ColumnType::Date:
        case ColumnType::NewDate: values::decode_date(r, col, out); return;
        case ColumnType::Time: values::decode_time(r, col, out); return;
        case ColumnType::Time2: values::decode_time2(r, col, out); return;
        case ColumnType::DateTime: values::decode_datetime(r, col, out); return;
        case ColumnType::DateTime2: values::decode_datetime2(r, col, out); return;
        case ColumnType::Timestamp: values::decode_timestamp(r, col, out); return;
        case ColumnType::Timestamp2: values::decode_timestamp2(r, col, out); return;
        case ColumnType::VarChar:
        case ColumnType::VarString:
        case ColumnType::String: values::decode_string(r, col, out, arena); return;
        case ColumnType::TinyBlob:
        case ColumnType::MediumBlob:
        case ColumnType::LongBlob:
        case ColumnType::Blob: values::decode_blob(r, col, out); return;
        case ColumnType::Geometry: values::decode_geometry(r, col, out); return;
        case ColumnType::Json: values::decode_json(r, col, out, arena); return;
        case ColumnType::Vector: values::decode_vector(r, col, out); return;
        case ColumnType::Bit: values::decode_bit(r, col, out); return;
        case ColumnType::Enum: values::decode_enum(r, col, out); return;
        case ColumnType::Set: values::decode_set(r, col, out); return;
        case ColumnType::Null: out.kind = model::ValueKind::Null; return;
        case ColumnType::Decimal:
        case ColumnType::TypedArray:
        case ColumnType::Invalid:
        case ColumnType::Bool: break;
    }
    values::fail_column(r, Errc::Unsupported, col, "cannot decode a value");
}

}  // namespace cdc::binlog
