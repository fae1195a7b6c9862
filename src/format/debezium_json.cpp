// STUB (coordinator): replaced by the Debezium formatter's implementation.
#include "format/debezium_json.h"

#include "common/json_writer.h"

namespace cdc::format {

void append_debezium_value_json(const model::ChangeEvent& event, const DebeziumSource& source,
                                const DebeziumOptions& options, int64_t now_ms, std::string& out,
                                const JsonSpill* spill) {
    (void)source;
    (void)options;
    (void)spill;
    out += "{\"op\":\"";
    out += model::change_kind_name(event.kind);
    out += "\",\"ts_ms\":";
    append_json_int(out, now_ms);
    out += '}';
}

void append_debezium_key_json(const model::ChangeEvent& event, const DebeziumOptions& options,
                              bool with_table, std::string& out) {
    (void)event;
    (void)options;
    (void)with_table;
    out += "{}";
}

void append_debezium_schema_change_json(const model::SchemaChange& change,
                                        const SchemaChangePosition& position,
                                        uint32_t server_id, const DebeziumOptions& options,
                                        int64_t now_ms, std::string& out) {
    (void)change;
    (void)position;
    (void)server_id;
    (void)options;
    (void)now_ms;
    out += "{}";
}

}  // namespace cdc::format
