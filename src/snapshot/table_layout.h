// TableLayout: what the snapshot needs to know about one table, read from information_schema:
// its columns (in table order) and how each is selected and converted so that the row renders
// exactly as the binlog decoder renders it, and its key (the one the binlog's TABLE_MAP carries:
// the primary key, or a unique NOT NULL index the server promotes) for keyset pagination and for
// the events' keys, which must equal the stream's for the same row.
//
//   auto layout = load_table_layout(conn, {"shop", "orders"});
//   std::string sql = chunk_query(*layout, last_key, 1000);
//   // SELECT `id`,CAST(`f` AS DOUBLE),... FROM `shop`.`orders` WHERE `id` > 1000 ORDER BY `id`
//   LIMIT 1000
//   // or, prepared once (... WHERE (`id` > ?) ...) and run with integer_key_params(*layout,
//   last_key): std::string next = chunk_query_template(*layout, 1000);
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "model/table_id.h"
#include "model/table_schema.h"
#include "mysql/connection.h"
#include "mysql/prepared_statement.h"
#include "snapshot/snapshot_state.h"

namespace cdc::snapshot {

// How a result field becomes a model::Value (see row_converter.h).
enum class ColumnReading : uint8_t {
    Int,
    UInt,
    Float,  // selected as CAST(c AS DOUBLE): exact (the text protocol rounds a FLOAT to 6 digits)
    Double,
    Decimal,
    Year,
    Bit,  // raw big-endian bytes
    Date,
    Time,
    DateTime,
    Timestamp,  // in the session time zone, which the reader sets to +00:00
    Text,       // bytes in the column's character set (character_set_results = NULL)
    Bytes,      // binary strings, BLOBs, GEOMETRY, and MariaDB's INET4/INET6/UUID as binary
    Json,       // MySQL JSON as text
    Vector,     // MySQL 9 VECTOR: raw float32 array
};

struct SnapshotColumn {
    std::string name;
    std::string data_type;  // information_schema DATA_TYPE, lower case
    ColumnReading reading = ColumnReading::Text;
    std::string select_expr;  // what the chunk query selects for it
    std::string charset;      // CHARACTER_SET_NAME for character columns
    uint8_t fsp = 0;          // temporal fractional digits
    uint8_t precision = 0;    // DECIMAL
    uint8_t scale = 0;        // DECIMAL
};

struct TableLayout {
    model::TableId id;
    std::vector<SnapshotColumn> columns;
    // Column indexes of the key (see above), in key order; empty when the table has none.
    std::vector<uint32_t> key;
    // For each key column, the result column holding its literal: the column itself, or a
    // hidden `c`+0 after the table's columns for ENUM/SET keys (compared by index).
    std::vector<uint32_t> key_result_columns;
    // The schema events are formatted with (names, key), with a generation of its own.
    model::TableSchema event_schema;
    uint64_t estimated_rows = 0;  // information_schema.TABLES.TABLE_ROWS

    std::string qualified() const { return id.qualified(); }
};

// Errc::FailedPrecondition when the table does not exist or has a column type we cannot read.
Result<TableLayout> load_table_layout(mysql::Connection& conn, const model::TableId& table);

// The next chunk: rows after `after` (empty: from the start) in key order, at most `limit`.
// A table without a key is read by one query with neither WHERE nor LIMIT.
Result<std::string> chunk_query(const TableLayout& layout, const std::vector<KeyValue>& after,
                                uint32_t limit);

// The chunk query after a key, with a `?` for each value the key is compared with, to be
// prepared once for a table and executed with integer_key_params() for every chunk after the
// first. Only for keyed tables.
std::string chunk_query_template(const TableLayout& layout, uint32_t limit);
// `after` as the template's parameters when every key value is an integer (the common case:
// integer keys, ENUM/SET keys by index, YEAR, BIT, DECIMAL(n,0)), or nullopt: other keys are
// compared with literals (chunk_query), whose exact semantics a typed parameter would not
// always keep (a DECIMAL key compared with a string parameter is compared as a double).
std::optional<std::vector<mysql::IntegerParam>> integer_key_params(
    const TableLayout& layout, const std::vector<KeyValue>& after);

}  // namespace cdc::snapshot
