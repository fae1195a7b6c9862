// What every Debezium event of a table repeats, rendered once per table schema and options:
// each column's mapping and `"name":` prefix, the source block's table-specific text and,
// with `schemas`, the envelope's and the key's schema blocks. Kept in a small per-thread cache
// keyed by TableSchema pointer + generation (as change_json.cpp does), so that formatting an
// event is appends of cached text and of the values.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "format/debezium_json.h"
#include "format/debezium_types.h"
#include "model/table_schema.h"

namespace cdc::format {

struct DebeziumTable {
    const model::TableSchema* table = nullptr;
    uint64_t generation = 0;
    // The options it was rendered for.
    std::string server_name;
    DecimalHandling decimal = DecimalHandling::Precise;

    std::vector<DebeziumColumn> columns;
    std::vector<std::string> field_prefixes;  // `"id":` per column
    std::string db_json;                      // `"shop"`
    std::string table_json;                   // `"orders"`
    std::string qualified;                    // `server.shop.orders` (schema names, routing)
    // With schemas: `{"schema":{...the envelope...},"payload":` and the key's, without and with
    // the __dbz__physicalTableIdentifier field. Rendered on first use.
    std::string value_schema_prefix;
    std::string key_schema_prefix[2];
};

// The cached rendering of `table` for `options` (valid until the next call on this thread).
const DebeziumTable& debezium_table(const model::TableSchema& table,
                                    const DebeziumOptions& options);

// A column's field name: its name, or "@N" (1-based) when the table map had none.
std::string debezium_field_name(const model::TableSchema& table, size_t index);

}  // namespace cdc::format
