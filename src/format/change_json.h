// The seed event envelope (../shared/seed/spec.md): one JSON object per row change.
//
//   {"kind":"update","schema":"db","table":"t","columnnames":["id","v"],"columnvalues":[1,"b"],
//    "oldkeys":{"keynames":["id","v"],"keyvalues":[1,"a"]}}
//
// insert/snapshot_insert: the after image, "oldkeys":{}; update: the after image and, in
// oldkeys, the full before image; delete: empty columnnames/columnvalues and the before image
// in oldkeys. Columns absent from an image are left out of it. Unknown column names are
// rendered "@N" (1-based), as mysqlbinlog prints them.
#pragma once

#include <functional>
#include <string>

#include "model/change_event.h"
#include "model/row_image.h"

namespace cdc::format {

struct EnvelopeOptions {
    // Name every column "@N" even when the table map has names (for comparing with mysqlbinlog).
    bool column_numbers = false;
};

// Takes the text written so far while a change is being formatted, so a huge row is never
// held whole as JSON (docs/MEMORY.md): called between values once `out` holds at least
// `threshold` bytes; it must hand out's bytes on and clear `out`.
struct JsonSpill {
    size_t threshold = 0;
    std::function<void(std::string& out)> take;
};

// Appends the event's JSON object (no trailing newline); with `spill`, possibly in parts.
void append_change_json(const model::ChangeEvent& event, std::string& out,
                        const EnvelopeOptions& options = {}, const JsonSpill* spill = nullptr);

// Where a schema change was logged, for its event (the pipeline's TransactionTracker knows).
struct SchemaChangePosition {
    std::string_view binlog_file;
    uint64_t binlog_pos = 0;  // the QUERY event's start
    std::string_view gtid;    // its transaction's; "" without GTIDs
    int64_t commit_time_ms = 0;
};

// Appends a `ddl` event (EMIT_SCHEMA_CHANGES; docs/EVENTS.md): the seed envelope's keys with
// empty images, then the statement, its verb, the session's database and the position:
//   {"kind":"ddl","schema":"s","table":"t","columnnames":[],"columnvalues":[],"oldkeys":{},
//    "ddl":"ALTER TABLE","statement":"ALTER TABLE t ADD c INT","database":"s",
//    "binlog_file":"mysql-bin.000003","binlog_pos":1234,"gtid":"0-1-42","commit_time_ms":...}
void append_schema_change_json(const model::SchemaChange& change,
                               const SchemaChangePosition& position, std::string& out);

// Appends the Kafka message key: the primary-key values as a JSON array (all columns when the
// table has no known key), from the after image, or the before image for a delete.
void append_change_key_json(const model::ChangeEvent& event, std::string& out);

}  // namespace cdc::format
