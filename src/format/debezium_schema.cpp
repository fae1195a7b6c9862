#include "format/debezium_schema.h"

#include "common/json_writer.h"

namespace cdc::format {
namespace {

// io.debezium.connector.mysql.Source, as Debezium 2.7 defines it.
constexpr std::string_view kSourceFieldSchema =
    R"({"type":"struct","fields":[)"
    R"({"type":"string","optional":false,"field":"version"},)"
    R"({"type":"string","optional":false,"field":"connector"},)"
    R"({"type":"string","optional":false,"field":"name"},)"
    R"({"type":"int64","optional":false,"field":"ts_ms"},)"
    R"({"type":"string","optional":true,"name":"io.debezium.data.Enum","version":1,)"
    R"("parameters":{"allowed":"true,last,false,incremental"},"default":"false","field":"snapshot"},)"
    R"({"type":"string","optional":false,"field":"db"},)"
    R"({"type":"string","optional":true,"field":"sequence"},)"
    R"({"type":"int64","optional":true,"field":"ts_us"},)"
    R"({"type":"int64","optional":true,"field":"ts_ns"},)"
    R"({"type":"string","optional":true,"field":"table"},)"
    R"({"type":"int64","optional":false,"field":"server_id"},)"
    R"({"type":"string","optional":true,"field":"gtid"},)"
    R"({"type":"string","optional":false,"field":"file"},)"
    R"({"type":"int64","optional":false,"field":"pos"},)"
    R"({"type":"int32","optional":false,"field":"row"},)"
    R"({"type":"int64","optional":true,"field":"thread"},)"
    R"({"type":"string","optional":true,"field":"query"}],)"
    R"("optional":false,"name":"io.debezium.connector.mysql.Source","field":"source"})";

// The envelope's fields after before/after/source.
constexpr std::string_view kEnvelopeTail =
    R"({"type":"struct","fields":[)"
    R"({"type":"string","optional":false,"field":"id"},)"
    R"({"type":"int64","optional":false,"field":"total_order"},)"
    R"({"type":"int64","optional":false,"field":"data_collection_order"}],)"
    R"("optional":true,"name":"event.block","version":1,"field":"transaction"},)"
    R"({"type":"string","optional":false,"field":"op"},)"
    R"({"type":"int64","optional":true,"field":"ts_ms"},)"
    R"({"type":"int64","optional":true,"field":"ts_us"},)"
    R"({"type":"int64","optional":true,"field":"ts_ns"}])";

void append_value_struct(const model::TableSchema& table, const DebeziumTable& t,
                         std::string_view field, std::string& out) {
    out += R"({"type":"struct","fields":[)";
    for (size_t i = 0; i < table.columns.size(); ++i) {
        if (i != 0) out += ',';
        append_debezium_field_schema(table.columns[i], t.columns[i], debezium_field_name(table, i),
                                     out);
    }
    out += R"(],"optional":true,"name":)";
    append_json_string(out, t.qualified + ".Value");
    out += R"(,"field":")";
    out += field;
    out += "\"}";
}

}  // namespace

std::string debezium_envelope_schema(const model::TableSchema& table, const DebeziumTable& t) {
    std::string out = R"({"type":"struct","fields":[)";
    append_value_struct(table, t, "before", out);
    out += ',';
    append_value_struct(table, t, "after", out);
    out += ',';
    out += kSourceFieldSchema;
    out += ',';
    out += kEnvelopeTail;
    out += R"(,"optional":false,"name":)";
    append_json_string(out, t.qualified + ".Envelope");
    out += R"(,"version":2})";
    return out;
}

std::string debezium_key_schema(const model::TableSchema& table, const DebeziumTable& t,
                                bool with_table) {
    std::string out = R"({"type":"struct","fields":[)";
    bool first = true;
    for (uint32_t index : table.primary_key) {
        if (index >= table.columns.size()) continue;
        if (!first) out += ',';
        first = false;
        append_debezium_field_schema(table.columns[index], t.columns[index],
                                     debezium_field_name(table, index), out);
    }
    if (with_table) {
        if (!first) out += ',';
        out += R"({"type":"string","optional":false,"field":")";
        out += kPhysicalTableField;
        out += "\"}";
    }
    out += R"(],"optional":false,"name":)";
    append_json_string(out, t.qualified + ".Key");
    out += '}';
    return out;
}

std::string_view debezium_source_field_schema() { return kSourceFieldSchema; }

std::string_view debezium_schema_change_schema() {
    static const std::string schema = [] {
        std::string s = R"({"type":"struct","fields":[)";
        s += kSourceFieldSchema;
        s +=
            R"(,{"type":"int64","optional":false,"field":"ts_ms"},)"
            R"({"type":"string","optional":true,"field":"databaseName"},)"
            R"({"type":"string","optional":true,"field":"schemaName"},)"
            R"({"type":"string","optional":true,"field":"ddl"},)"
            R"({"type":"array","items":{"type":"struct","fields":[)"
            R"({"type":"string","optional":false,"field":"type"},)"
            R"({"type":"string","optional":false,"field":"id"},)"
            R"({"type":"struct","fields":[)"
            R"({"type":"string","optional":true,"field":"defaultCharsetName"},)"
            R"({"type":"array","items":{"type":"string","optional":false},"optional":true,"field":"primaryKeyColumnNames"},)"
            R"({"type":"array","items":{"type":"struct","fields":[)"
            R"({"type":"string","optional":false,"field":"name"},)"
            R"({"type":"int32","optional":false,"field":"jdbcType"},)"
            R"({"type":"int32","optional":true,"field":"nativeType"},)"
            R"({"type":"string","optional":false,"field":"typeName"},)"
            R"({"type":"string","optional":true,"field":"typeExpression"},)"
            R"({"type":"string","optional":true,"field":"charsetName"},)"
            R"({"type":"int32","optional":true,"field":"length"},)"
            R"({"type":"int32","optional":true,"field":"scale"},)"
            R"({"type":"int32","optional":false,"field":"position"},)"
            R"({"type":"boolean","optional":true,"field":"optional"},)"
            R"({"type":"boolean","optional":true,"field":"autoIncremented"},)"
            R"({"type":"boolean","optional":true,"field":"generated"},)"
            R"({"type":"string","optional":true,"field":"comment"},)"
            R"({"type":"string","optional":true,"field":"defaultValueExpression"},)"
            R"({"type":"array","items":{"type":"string","optional":false},"optional":true,"field":"enumValues"}],)"
            R"("optional":false,"name":"io.debezium.connector.schema.Column","version":1},)"
            R"("optional":false,"field":"columns"},)"
            R"({"type":"string","optional":true,"field":"comment"}],)"
            R"("optional":true,"name":"io.debezium.connector.schema.Table","version":1,"field":"table"}],)"
            R"("optional":false,"name":"io.debezium.connector.schema.Change","version":1},)"
            R"("optional":false,"field":"tableChanges"}],)"
            R"("optional":false,"name":"io.debezium.connector.mysql.SchemaChangeValue","version":1})";
        return s;
    }();
    return schema;
}

}  // namespace cdc::format
