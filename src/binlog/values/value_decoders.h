// The per-family decoders behind decode_column_value(); column_value.cpp only dispatches on the
// column type. Each reads exactly one value of its type from `r`, fills `out`, and on bad bytes
// calls r.fail() (sticky) naming the column type. Internal to binlog/values/.
#pragma once

#include <string_view>

#include "common/byte_reader.h"
#include "model/table_schema.h"
#include "model/value.h"
#include "model/value_arena.h"

namespace cdc::binlog::values {

using model::ColumnDef;
using model::Value;
using model::ValueArena;

// Fails r with "<what> in <TYPE> column"; the message is only built on this error path.
void fail_column(ByteReader& r, Errc code, const ColumnDef& col, std::string_view what);

// Reads the 1..4-byte little-endian length prefix (col.pack_length bytes, or `fallback` when the
// metadata left it 0) and then that many bytes.
std::string_view read_length_prefixed(ByteReader& r, const ColumnDef& col, uint8_t fallback);

// TINYINT..BIGINT, YEAR, FLOAT, DOUBLE.
void decode_integer(ByteReader& r, const ColumnDef& col, Value& out);
void decode_year(ByteReader& r, const ColumnDef& col, Value& out);
void decode_float(ByteReader& r, const ColumnDef& col, Value& out);
void decode_double(ByteReader& r, const ColumnDef& col, Value& out);

// NEWDECIMAL: MySQL's binary decimal, checked but kept as raw bytes.
void decode_new_decimal(ByteReader& r, const ColumnDef& col, Value& out);

// DATE/NEWDATE, TIME, TIME2, DATETIME, DATETIME2, TIMESTAMP, TIMESTAMP2.
void decode_date(ByteReader& r, const ColumnDef& col, Value& out);
void decode_time(ByteReader& r, const ColumnDef& col, Value& out);
void decode_time2(ByteReader& r, const ColumnDef& col, Value& out);
void decode_datetime(ByteReader& r, const ColumnDef& col, Value& out);
void decode_datetime2(ByteReader& r, const ColumnDef& col, Value& out);
void decode_timestamp(ByteReader& r, const ColumnDef& col, Value& out);
void decode_timestamp2(ByteReader& r, const ColumnDef& col, Value& out);

// CHAR/BINARY, VARCHAR/VARBINARY.
void decode_string(ByteReader& r, const ColumnDef& col, Value& out, ValueArena& arena);

// BLOB/TEXT, GEOMETRY, JSON, VECTOR.
void decode_blob(ByteReader& r, const ColumnDef& col, Value& out);
void decode_geometry(ByteReader& r, const ColumnDef& col, Value& out);
void decode_json(ByteReader& r, const ColumnDef& col, Value& out, ValueArena& arena);
void decode_vector(ByteReader& r, const ColumnDef& col, Value& out);

// BIT, ENUM, SET.
void decode_bit(ByteReader& r, const ColumnDef& col, Value& out);
void decode_enum(ByteReader& r, const ColumnDef& col, Value& out);
void decode_set(ByteReader& r, const ColumnDef& col, Value& out);

}  // namespace cdc::binlog::values
