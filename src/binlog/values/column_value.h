// Decoding one column value of a row image, for every column type.
//
// Called by RowDecoder for each column present and not NULL. On bad bytes it calls r.fail()
// (sticky) and leaves `out` unspecified; it never reads past r's bounds.
#pragma once

#include "common/byte_reader.h"
#include "model/table_schema.h"
#include "model/value.h"
#include "model/value_arena.h"

namespace cdc::binlog {

void decode_column_value(ByteReader& r, const model::ColumnDef& column, model::Value& out,
                         model::ValueArena& arena);

}  // namespace cdc::binlog
