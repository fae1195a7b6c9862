// The `schema` halves of Debezium's messages (DebeziumOptions::schemas), as Kafka Connect's
// JsonConverter writes them with schemas.enable=true: the value's envelope schema (before/after
// structs of the table's columns, the MySQL connector's source struct, the transaction block,
// op and the timestamps), the key's struct of the primary-key columns, and the schema-change
// event's. Field order and attributes follow Debezium 2.7's MySQL connector (docs/DEBEZIUM.md).
#pragma once

#include <string>
#include <string_view>

#include "format/debezium_table.h"

namespace cdc::format {

// The name of the optional key field that tells tables sharing a topic apart (Debezium's
// ByLogicalTableRouter's default key.field.name).
inline constexpr std::string_view kPhysicalTableField = "__dbz__physicalTableIdentifier";

// {"type":"struct","fields":[...],"optional":false,"name":"server.db.table.Envelope","version":2}
std::string debezium_envelope_schema(const model::TableSchema& table, const DebeziumTable& t);

// {"type":"struct","fields":[...],"optional":false,"name":"server.db.table.Key"}
std::string debezium_key_schema(const model::TableSchema& table, const DebeziumTable& t,
                                bool with_table);

// The source struct's field schema ({"type":"struct",...,"field":"source"}).
std::string_view debezium_source_field_schema();

// The schema of a schema-change event's value (io.debezium.connector.mysql.SchemaChangeValue).
std::string_view debezium_schema_change_schema();

}  // namespace cdc::format
