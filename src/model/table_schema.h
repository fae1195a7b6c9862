// TableSchema: what a TABLE_MAP event tells about a table, normalised so that value decoding
// never has to know how the metadata was packed on the wire.
//
// binlog/table_map.cpp fills it from the event (type metadata + optional metadata);
// binlog/values/ reads it to decode each column of a row; format/ reads names and keys.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/column_type.h"

namespace cdc::model {

// Collation id 63 is MySQL's `binary`: such "strings" are bytes.
inline constexpr uint16_t kBinaryCollation = 63;

struct ColumnDef {
    // The real type. For MYSQL_TYPE_STRING the table map hides ENUM/SET and long CHARs in
    // the metadata; here they are already unwrapped (type = Enum/Set/String).
    ColumnType type = ColumnType::Null;

    // Per-type parameters, normalised from the TABLE_MAP metadata:
    //  String/VarChar/VarString: max_length = maximum byte length (a value has a 1-byte length
    //                            prefix when max_length < 256, else 2 bytes)
    //  Blob/Geometry/Json/Vector: pack_length = bytes of the length prefix (1..4)
    //  Float/Double:             pack_length = 4 / 8
    //  Enum/Set:                 pack_length = storage bytes (Enum 1-2, Set 1-8)
    //  NewDecimal:               precision, scale
    //  Bit:                      bits = total number of bits (1..64)
    //  Time2/DateTime2/Timestamp2: fsp = fractional seconds precision (0..6)
    uint32_t max_length = 0;
    uint8_t pack_length = 0;
    uint8_t precision = 0;
    uint8_t scale = 0;
    uint8_t bits = 0;
    uint8_t fsp = 0;

    bool nullable = true;

    // From optional metadata (binlog_row_metadata=FULL, some also in MINIMAL); defaults when absent.
    std::string name;          // empty when unknown: rendered as "@N" (1-based), like mysqlbinlog
    bool is_unsigned = false;  // numeric columns only
    uint16_t collation = 0;    // character/blob columns: collation id, 0 = unknown
    std::vector<std::string> enum_labels;
    std::vector<std::string> set_labels;
    uint32_t geometry_type = 0;
    uint32_t vector_dimensions = 0;
    bool visible = true;
};

struct TableSchema {
    uint64_t table_id = 0;
    std::string schema;
    std::string table;
    uint16_t flags = 0;
    std::vector<ColumnDef> columns;
    // Column indexes of the primary key, in key order; empty when unknown or none.
    std::vector<uint32_t> primary_key;
    // True when the table map carried column names (binlog_row_metadata=FULL).
    bool has_column_names = false;
    // Unique for each schema the decoder builds (never reused), so formatters can cache what
    // they derive from it (rendered column names) keyed by pointer + generation.
    uint64_t generation = 0;
};

// A fresh TableSchema::generation (thread-safe, never 0, never repeated in this process).
uint64_t next_schema_generation();

}  // namespace cdc::model
