// Internal to binlog/: the TABLE_MAP optional metadata (binlog_row_metadata), applied to a
// schema whose column types are already unwrapped. table_map.cpp parses the fixed part.
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
