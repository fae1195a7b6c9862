// MySQL's binary JSON (the storage format of JSON columns) to JSON text.
//
// Grammar and type codes: MySQL libs/mysql/binlog/event/... json_binary.h. Every node type is
// handled: objects and arrays (small and large), literals, int16..uint64, double, strings,
// and opaque values (DATE, TIME, DATETIME, TIMESTAMP, DECIMAL, ...) rendered as MySQL's
// JSON_EXTRACT/CAST(... AS CHAR) would show them.
#pragma once

#include <string>

#include "common/byte_reader.h"
#include "common/result.h"

namespace cdc::binlog {

// Appends the JSON text of `binary` to `out`, formatted as MySQL shows JSON ({"a": 1, "b": [2]}),
// doubles in shortest round-trip form. An empty input is the JSON null, as MySQL reads it (a
// NULL stored into a NOT NULL column outside strict mode). Nesting deeper than 100 levels,
// offsets outside their container and unknown types are Malformed; on error `out` is left as
// it was.
Status json_binary_to_text(Bytes binary, std::string& out);

}  // namespace cdc::binlog
