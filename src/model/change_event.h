// ChangeEvent: one row change of one table, as the pipeline hands it to a formatter.
//
// It points at the table's schema and at the row images owned by whoever decoded them
// (RowDecoder, the snapshot reader); it is consumed before the next row is decoded.
#pragma once

#include <cstdint>
#include <string_view>

#include "model/table_schema.h"
#include "model/value.h"

namespace cdc::model {

struct RowImage;  // model/row_image.h

// Truncate: TRUNCATE TABLE emptied the table (no row images; docs/EVENTS.md).
enum class ChangeKind : uint8_t { SnapshotInsert, Insert, Update, Delete, Truncate };

std::string_view change_kind_name(ChangeKind kind);

struct ChangeEvent {
    ChangeKind kind = ChangeKind::Insert;
    const TableSchema* table = nullptr;
    const RowImage* before = nullptr;  // Update, Delete
    const RowImage* after = nullptr;   // SnapshotInsert, Insert, Update
    // Truncate: `table` carries the schema and table names only (no columns).
};

// A DDL statement that touches a watched table (EMIT_SCHEMA_CHANGES, docs/EVENTS.md): one per
// watched table it names. Its views point into the decoded QUERY event.
struct SchemaChange {
    std::string_view schema;  // the watched table
    std::string_view table;
    std::string_view verb;       // "ALTER TABLE", "RENAME TABLE", "DROP TABLE", ...
    std::string_view statement;  // as the server logged it
    std::string_view database;   // the session's default database, "" without one
    uint64_t offset = 0;         // where the QUERY event starts in its binlog file
};

}  // namespace cdc::model
