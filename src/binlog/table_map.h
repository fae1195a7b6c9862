// Internal to binlog/: the TABLE_MAP optional metadata (binlog_row_metadata), applied to a
// schema whose column types are already unwrapped. table_map.cpp parses the fixed part.
#pragma once

#include "binlog/event_context.h"
#include "model/table_schema.h"

namespace cdc::binlog {

// MySQL and MariaDB differ on which columns carry a character set in DEFAULT_CHARSET /
// COLUMN_CHARSET (MariaDB counts GEOMETRY, MySQL 9 counts VECTOR).
bool is_character_column(model::ColumnType type, bool mariadb);
// The columns SIGNEDNESS has a bit for.
bool is_numeric_column(model::ColumnType type);

// `block_offset`: where the block starts, for messages.
Status apply_optional_metadata(const EventContext& ctx, Bytes block, uint64_t block_offset,
                               model::TableSchema& schema);

}  // namespace cdc::binlog
