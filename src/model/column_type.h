// Column types as MySQL writes them in TABLE_MAP events (enum_field_types), with MySQL's names
// and values so they can be grepped against the server source.
#pragma once

#include <cstdint>
#include <string_view>

namespace cdc::model {

enum class ColumnType : uint8_t {
    Decimal = 0,  // pre-5.0 DECIMAL: not written by any server we support
    Tiny = 1,
    Short = 2,
    Long = 3,
    Float = 4,
    Double = 5,
    Null = 6,
    Timestamp = 7,
    LongLong = 8,
    Int24 = 9,
    Date = 10,
    Time = 11,
    DateTime = 12,
    Year = 13,
    NewDate = 14,
    VarChar = 15,
    Bit = 16,
    Timestamp2 = 17,
    DateTime2 = 18,
    Time2 = 19,
    TypedArray = 20,
    Vector = 242,
    Invalid = 243,
    Bool = 244,
    Json = 245,
    NewDecimal = 246,
    Enum = 247,
    Set = 248,
    TinyBlob = 249,
    MediumBlob = 250,
    LongBlob = 251,
    Blob = 252,
    VarString = 253,
    String = 254,
    Geometry = 255,
};

std::string_view column_type_name(ColumnType t);

}  // namespace cdc::model
