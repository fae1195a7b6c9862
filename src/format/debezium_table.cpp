#include "format/debezium_table.h"

#include <array>

#include "common/json_writer.h"
#include "format/debezium_schema.h"

namespace cdc::format {
namespace {

bool matches(const DebeziumTable& t, const model::TableSchema& table,
             const DebeziumOptions& options) {
    return t.table == &table && t.generation == table.generation && table.generation != 0 &&
           t.decimal == options.decimal && t.server_name == options.server_name &&
           (!options.schemas || !t.value_schema_prefix.empty());
}

void render(DebeziumTable& t, const model::TableSchema& table, const DebeziumOptions& options) {
    t.table = &table;
    t.generation = table.generation;
    t.server_name = options.server_name;
    t.decimal = options.decimal;
    t.columns.clear();
    t.field_prefixes.clear();
    for (size_t i = 0; i < table.columns.size(); ++i) {
        t.columns.push_back(classify_debezium_column(table.columns[i], options.decimal));
        std::string prefix;
        append_json_string(prefix, debezium_field_name(table, i));
        prefix += ':';
        t.field_prefixes.push_back(std::move(prefix));
    }
    t.db_json.clear();
    append_json_string(t.db_json, table.schema);
    t.table_json.clear();
    append_json_string(t.table_json, table.table);
    t.qualified = options.server_name + "." + table.schema + "." + table.table;
    t.value_schema_prefix.clear();
    t.key_schema_prefix[0].clear();
    t.key_schema_prefix[1].clear();
    if (options.schemas) {
        t.value_schema_prefix =
            "{\"schema\":" + debezium_envelope_schema(table, t) + ",\"payload\":";
        for (int with_table = 0; with_table < 2; ++with_table) {
            t.key_schema_prefix[with_table] =
                "{\"schema\":" + debezium_key_schema(table, t, with_table != 0) + ",\"payload\":";
        }
    }
}

}  // namespace

std::string debezium_field_name(const model::TableSchema& table, size_t index) {
    if (index < table.columns.size() && !table.columns[index].name.empty()) {
        return table.columns[index].name;
    }
    return "@" + std::to_string(index + 1);
}

const DebeziumTable& debezium_table(const model::TableSchema& table,
                                    const DebeziumOptions& options) {
    thread_local std::array<DebeziumTable, 8> cache;
    thread_local size_t next_slot = 0;
    for (const DebeziumTable& t : cache) {
        if (matches(t, table, options)) return t;
    }
    DebeziumTable& t = cache[next_slot];
    next_slot = (next_slot + 1) % cache.size();
    render(t, table, options);
    return t;
}

}  // namespace cdc::format
