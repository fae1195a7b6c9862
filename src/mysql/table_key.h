// The key a table's rows are identified by in the binlog: the columns the server writes into
// TABLE_MAP events as the primary key (binlog_row_metadata=FULL), which the stream's events and
// Kafka keys use. The snapshot keys its rows by the same columns, and `check` tells the user
// which key each watched table has.
//
//   auto key = read_binlog_key(conn, {"shop", "orders"});
//   if (key && key->columns.empty()) warn("no key: the whole row is the key");
#pragma once

#include <string>
#include <vector>

#include "common/result.h"
#include "model/table_id.h"
#include "mysql/connection.h"

namespace cdc::mysql {

struct BinlogKey {
    std::string index;                 // "PRIMARY", or the promoted UNIQUE index; "" for none
    std::vector<std::string> columns;  // in key order; empty when the table has no key

    bool is_primary() const { return index == "PRIMARY"; }
};

// From SHOW INDEX's rows (in the server's order): the PRIMARY KEY, or else the first UNIQUE
// index whose columns are all NOT NULL and used whole (no prefix), which MySQL and MariaDB
// promote to the table's primary key (TABLE_SHARE::primary_key in sql/table.cc; indexes are
// stored, and shown by SHOW INDEX, primary first, then unique NOT NULL ones). MariaDB's long
// unique hash indexes (Index_type HASH) are never promoted. No key when none qualifies.
BinlogKey binlog_key_from_index_rows(const std::vector<Row>& index_rows);

// SHOW INDEX FROM the table, then the above.
Result<BinlogKey> read_binlog_key(Connection& conn, const model::TableId& table);

}  // namespace cdc::mysql
