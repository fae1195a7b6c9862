// Debezium's MySQL change-event envelope (OUTPUT_FORMAT=debezium; docs/DEBEZIUM.md), in the
// shape of Debezium 2.7's MySQL connector:
//
//   {"before":null,"after":{"id":1,"v":"a"},"source":{"version":"0.1.0","connector":"mysql",
//    "name":"mysql-cdc","ts_ms":1703581264000,"snapshot":"false","db":"shop","sequence":null,
//    "ts_us":1703581264000000,"ts_ns":1703581264000000000,"table":"orders","server_id":1,
//    "gtid":"0-1-42","file":"mysql-bin.000003","pos":154,"row":0,"thread":null,"query":null},
//    "transaction":null,"op":"c","ts_ms":1703581264012,"ts_us":1703581264012000,
//    "ts_ns":1703581264012000000}
//
// With `schemas` the value is {"schema":{...},"payload":{...}} as Kafka Connect's JsonConverter
// writes it with schemas.enable=true (debezium_schema.h). Values are rendered per Debezium's
// MySQL type mapping (debezium_types.h, debezium_values.h; docs/DEBEZIUM.md lists the mapping
// and where we differ). Per-table text is cached (debezium_table.h).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "format/change_json.h"
#include "format/debezium_types.h"
#include "model/change_event.h"

namespace cdc::format {

// DecimalHandling (debezium_types.h): how DECIMAL/NUMERIC columns are rendered (Debezium's
// decimal.handling.mode).

struct DebeziumOptions {
    std::string server_name = "mysql-cdc";  // source.name and the schema names' prefix
    bool schemas = false;                   // {"schema":...,"payload":...}
    bool transaction_metadata = false;      // the "transaction" block filled
    DecimalHandling decimal = DecimalHandling::Precise;
};

// Where a change comes from: the source block and the transaction block.
struct DebeziumSource {
    std::string_view binlog_file;
    uint64_t binlog_pos = 0;  // the transaction's start (Debezium: the event's; documented)
    uint64_t row = 0;         // the change's index within its transaction
    std::string_view gtid;    // "" without GTIDs
    uint32_t server_id = 0;
    int64_t commit_time_ms = 0;  // source.ts_ms
    bool snapshot = false;       // source.snapshot "true" (rows of a snapshot), else "false"
    bool snapshot_last = false;  // with `snapshot`: the snapshot's last row, source.snapshot "last"
    // The transaction block (transaction_metadata): id is the GTID, or file:pos without one.
    uint64_t total_order = 0;            // 1-based among the transaction's changes
    uint64_t data_collection_order = 0;  // 1-based among its changes of this table
};

// source.version: mysql-cdc's version (the project() version), where Debezium puts its own.
std::string_view debezium_source_version();

// Appends the event's value. `now_ms` is the envelope's ts_ms (when mysql-cdc processed it).
// Kinds: SnapshotInsert "r", Insert "c", Update "u", Delete "d", Truncate "t" (no images).
// A primary-key change is split by the caller into a Delete and an Insert.
void append_debezium_value_json(const model::ChangeEvent& event, const DebeziumSource& source,
                                const DebeziumOptions& options, int64_t now_ms, std::string& out,
                                const JsonSpill* spill = nullptr);

// Appends the message key: the primary-key columns as a struct ({"id":1}, with `schemas` the
// JsonConverter form), from the after image or the before image of a delete. With
// `with_table` (a topic several tables share) the struct gains the field
// "__dbz__physicalTableIdentifier":"server.db.table", as Debezium's topic routing adds it.
// Appends nothing when the table has no primary key: Debezium's key is then null.
void append_debezium_key_json(const model::ChangeEvent& event, const DebeziumOptions& options,
                              bool with_table, std::string& out);

// Appends the value of a schema change (EMIT_SCHEMA_CHANGES) in Debezium's schema-change event
// shape: source, ts_ms, databaseName, schemaName, ddl, tableChanges.
void append_debezium_schema_change_json(const model::SchemaChange& change,
                                        const SchemaChangePosition& position, uint32_t server_id,
                                        const DebeziumOptions& options, int64_t now_ms,
                                        std::string& out);

}  // namespace cdc::format
