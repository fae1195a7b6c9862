#include "model/column_type.h"

namespace cdc::model {

std::string_view column_type_name(ColumnType t) {
    switch (t) {
        case ColumnType::Decimal: return "DECIMAL";
        case ColumnType::Tiny: return "TINY";
        case ColumnType::Short: return "SHORT";
        case ColumnType::Long: return "LONG";
        case ColumnType::Float: return "FLOAT";
        case ColumnType::Double: return "DOUBLE";
        case ColumnType::Null: return "NULL";
        case ColumnType::Timestamp: return "TIMESTAMP";
        case ColumnType::LongLong: return "LONGLONG";
        case ColumnType::Int24: return "INT24";
        case ColumnType::Date: return "DATE";
        case ColumnType::Time: return "TIME";
        case ColumnType::DateTime: return "DATETIME";
        case ColumnType::Year: return "YEAR";
        case ColumnType::NewDate: return "NEWDATE";
        case ColumnType::VarChar: return "VARCHAR";
        case ColumnType::Bit: return "BIT";
        case ColumnType::Timestamp2: return "TIMESTAMP2";
        case ColumnType::DateTime2: return "DATETIME2";
        case ColumnType::Time2: return "TIME2";
        case ColumnType::TypedArray: return "TYPED_ARRAY";
        case ColumnType::Vector: return "VECTOR";
        case ColumnType::Invalid: return "INVALID";
        case ColumnType::Bool: return "BOOL";
        case ColumnType::Json: return "JSON";
        case ColumnType::NewDecimal: return "NEWDECIMAL";
        case ColumnType::Enum: return "ENUM";
        case ColumnType::Set: return "SET";
        case ColumnType::TinyBlob: return "TINY_BLOB";
        case ColumnType::MediumBlob: return "MEDIUM_BLOB";
        case ColumnType::LongBlob: return "LONG_BLOB";
        case ColumnType::Blob: return "BLOB";
        case ColumnType::VarString: return "VAR_STRING";
        case ColumnType::String: return "STRING";
        case ColumnType::Geometry: return "GEOMETRY";
    }
    return "UNKNOWN";
}

}  // namespace cdc::model
