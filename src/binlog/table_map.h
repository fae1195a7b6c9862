// Internal to binlog/: the TABLE_MAP optional metadata (binlog_row_metadata), applied to a
// schema whose column types are already unwrapped. table_map.cpp parses the fixed part.
//
// TABLE_MAP (19) wire layout, after the 19-byte common header and before the checksum trailer.
// Sources: MySQL libs/mysql/binlog/event/rows_event.h (Table_map_event, its tables) and
// rows_event.cpp (the parser, Optional_metadata_fields); MariaDB sql/log_event.h
// (Table_map_log_event). Integers are little-endian; "packed" is the length-encoded integer
// (1 byte below 251, else 0xfc+2, 0xfd+3, 0xfe+8 bytes).
//
//   post-header (8 bytes: the FORMAT_DESCRIPTION's post-header length for type 19; 6 before 5.1.4)
//   | field    | bytes | notes                                                              |
//   |----------|-------|--------------------------------------------------------------------|
//   | table_id | 6     | 4 when the post-header length is 6; bytes past 8 are skipped       |
//   | flags    | 2     | reserved (MySQL: always 0); kept in TableSchema::flags             |
//
//   body
//   | field           | bytes              | notes                                          |
//   |-----------------|--------------------|------------------------------------------------|
//   | schema length   | 1                  | MySQL reads it as packed; a name (at most 192  |
//   |                 |                    | bytes) always fits in one byte                 |
//   | schema name     | length + 1         | the name, then a NUL                           |
//   | table length    | 1                  | as the schema's                                |
//   | table name      | length + 1         | the name, then a NUL                           |
//   | column_count    | packed             | we refuse 0 and more than 4096                 |
//   | column types    | column_count       | one enum_field_types byte per column           |
//   | metadata length | packed             | at most column_count * 4                       |
//   | metadata block  | metadata length    | per column, in order, by its type (below)      |
//   | null bitmap     | (column_count+7)/8 | bit i, LSB first: column i is NULL-able        |
//   | optional fields | rest of the body   | TLVs: 1-byte type, packed length, value        |
//   Servers before 5.1 ended the body after the column types (no metadata, no bitmap).
//
//   per-column metadata (read_type_metadata in table_map.cpp)
//     FLOAT, DOUBLE, BLOB (and TINY/MEDIUM/LONG_BLOB), GEOMETRY, JSON, VECTOR: 1 byte, the
//       pack length (for the blob-like types: bytes of the value's length prefix)
//     VARCHAR, VAR_STRING: 2 bytes, the maximum length in bytes
//     BIT(M): 2 bytes, M % 8 then M / 8
//     NEWDECIMAL: 2 bytes, precision then scale
//     STRING (also ENUM and SET, which the type byte shows as STRING): 2 bytes, the real type
//       XORed with bits 8-9 of the length moved to bits 4-5, then the length's low byte
//       (ENUM/SET: the pack length); see unwrap_string in table_map.cpp
//     TIME2, DATETIME2, TIMESTAMP2: 1 byte, the fractional digits
//     every other type: none
//
//   optional metadata TLV types read by apply_optional_metadata (table_map_metadata.cpp), in
//   MySQL's numbering, which MariaDB (10.5+) uses too. Which columns count as "character
//   columns" differs by server (is_character_column below). Unknown types are skipped.
//     1  SIGNEDNESS                     bitmap, MSB first, one bit per numeric column
//     2  DEFAULT_CHARSET                packed default collation, then packed (index, collation)
//                                       pairs over the character columns
//     3  COLUMN_CHARSET                 packed collation per character column
//     4  COLUMN_NAME                    packed length + name, per column
//     5  SET_STR_VALUE                  per SET column: packed count, then packed length + label
//     6  ENUM_STR_VALUE                 per ENUM column: the same
//     7  GEOMETRY_TYPE                  packed geometry type per GEOMETRY column
//     8  SIMPLE_PRIMARY_KEY             packed column index per key column
//     9  PRIMARY_KEY_WITH_PREFIX        packed (column index, prefix length) per key column
//     10 ENUM_AND_SET_DEFAULT_CHARSET   as 2, over the ENUM and SET columns
//     11 ENUM_AND_SET_COLUMN_CHARSET    as 3, over the ENUM and SET columns
//     12 COLUMN_VISIBILITY              bitmap, MSB first, one bit per column
//     13 VECTOR_DIMENSIONALITY          packed dimensions per VECTOR column
#pragma once

#include "binlog/event_context.h"
#include "model/table_schema.h"

namespace cdc::binlog {

// MySQL and MariaDB differ on which columns carry a character set in DEFAULT_CHARSET /
// COLUMN_CHARSET (MariaDB counts GEOMETRY, MySQL 9 counts VECTOR).
bool is_character_column(model::ColumnType type, bool mariadb);
// The columns SIGNEDNESS has a bit for, on both servers: the integer types, YEAR, FLOAT,
// DOUBLE and both DECIMALs. MariaDB: every Field_num (Binlog_type_info::m_signedness is set;
// Field_year is a Field_tiny), checked on 10.11. MySQL: has_signedess_information_type
// (sql/field_common_properties.h), which adds YEAR to is_numeric_type. BIT, ENUM, SET and
// MariaDB's INET4/INET6/UUID have none.
bool has_signedness_bit(model::ColumnType type);

// `block_offset`: where the block starts, for messages.
Status apply_optional_metadata(const EventContext& ctx, Bytes block, uint64_t block_offset,
                               model::TableSchema& schema);

}  // namespace cdc::binlog
