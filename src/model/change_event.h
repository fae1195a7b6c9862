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

}  // namespace cdc::model
