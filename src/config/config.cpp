#include "config/config.h"

#include <algorithm>
#include <utility>

#include "config/settings.h"
#include "config/value_parsers.h"

namespace cdc::config {

namespace {

// An enum's names are its setting's choices, in the enumerators' order (config.h).
template <class Enum>
std::string_view choice_name(SettingId id, Enum v) {
    return choice_at(setting(id).choices, static_cast<std::size_t>(v));
}

}  // namespace

std::string_view to_string(OutputSink v) { return choice_name(SettingId::OutputSink, v); }
std::string_view to_string(SslMode v) { return choice_name(SettingId::MysqlSslMode, v); }
std::string_view to_string(KafkaCompression v) {
    return choice_name(SettingId::KafkaCompression, v);
}
std::string_view to_string(LogLevel v) { return choice_name(SettingId::LogLevel, v); }
std::string_view to_string(LogFormat v) { return choice_name(SettingId::LogFormat, v); }
std::string_view to_string(EventPolicy v) { return choice_name(SettingId::StatementEvents, v); }
std::string_view to_string(SnapshotMode v) { return choice_name(SettingId::SnapshotMode, v); }
std::string_view to_string(OutputFormat v) { return choice_name(SettingId::OutputFormat, v); }
std::string_view to_string(DecimalHandling v) {
    return choice_name(SettingId::DebeziumDecimalHandling, v);
}
std::string_view to_string(MessageKey v) { return choice_name(SettingId::KafkaMessageKey, v); }

std::string Config::topic_for(const model::TableId& table) const {
    if (kafka_topic_template.empty()) return output_topic;
    std::string out;
    std::string_view rest = kafka_topic_template;
    // The template was validated at load: only {schema} and {table} appear in braces.
    while (!rest.empty()) {
        if (rest.starts_with("{schema}")) {
            out += table.schema;
            rest.remove_prefix(8);
        } else if (rest.starts_with("{table}")) {
            out += table.table;
            rest.remove_prefix(7);
        } else {
            out += rest.front();
            rest.remove_prefix(1);
        }
    }
    return out;
}

bool Config::topics_shared() const {
    return kafka_topic_template.find("{schema}") == std::string::npos ||
           kafka_topic_template.find("{table}") == std::string::npos;
}

namespace {

void append(std::string& out, std::string_view key, std::string_view value) {
    if (!out.empty()) out += ' ';
    out += key;
    out += '=';
    bool quote = value.empty() || value.find_first_of(" \t\"") != std::string_view::npos;
    if (!quote) {
        out += value;
        return;
    }
    out += '"';
    for (char c : value) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    out += '"';
}

std::string bool_text(bool b) { return b ? "true" : "false"; }

}  // namespace

std::string Config::redacted_summary() const {
    std::string tables_text;
    for (const model::TableId& t : tables) {
        if (!tables_text.empty()) tables_text += ',';
        tables_text += t.qualified();
    }
    for (const model::TablePattern& p : table_patterns.include) {
        tables_text += (tables_text.empty() ? "" : ",") + p.text;
    }
    std::string exclude_text;
    for (const model::TablePattern& p : table_patterns.exclude) {
        exclude_text += (exclude_text.empty() ? "" : ",") + p.text;
    }
    std::string s;
    std::string hosts_text;
    for (const HostPort& h : mysql_hosts)
        hosts_text += (hosts_text.empty() ? "" : ",") + h.to_string();
    append(s, "MYSQL_HOST", hosts_text.empty() ? mysql_host : hosts_text);
    append(s, "MYSQL_PORT", std::to_string(mysql_port));
    append(s, "MYSQL_USER", mysql_user);
    append(s, "MYSQL_PASSWORD", mysql_password.empty() ? "<none>" : "<redacted>");
    append(s, "MYSQL_SCHEMA", mysql_schema);
    append(s, "MYSQL_TABLE", tables_text);
    append(s, "MYSQL_TABLE_EXCLUDE", exclude_text);
    append(s, "MYSQL_SNAPSHOT_HOST", snapshot_host + ":" + std::to_string(snapshot_port));
    append(s, "MYSQL_SERVER_ID",
           std::to_string(mysql_server_id) + (mysql_server_id_derived ? "(derived)" : ""));
    append(s, "MYSQL_SSL_MODE", to_string(ssl_mode));
    append(s, "MYSQL_SSL_CA", ssl_ca);
    append(s, "MYSQL_HEARTBEAT_SECONDS", std::to_string(heartbeat_interval.count()));
    append(s, "MYSQL_CONNECT_TIMEOUT_SECONDS", std::to_string(connect_timeout.count()));
    append(s, "INITIAL_SNAPSHOT", bool_text(initial_snapshot));
    append(s, "SNAPSHOT_MODE", to_string(snapshot_mode));
    append(s, "SNAPSHOT_BATCH_SIZE", std::to_string(snapshot_batch_size));
    append(s, "FORCE_SNAPSHOT", bool_text(force_snapshot));
    append(s, "Quix__State__Dir", state_dir);
    append(s, "OUTPUT_SINK", to_string(output_sink));
    append(s, "OUTPUT_FILE", output_file);
    append(s, "output", output_topic);
    append(s, "FLUSH_INTERVAL_MS", std::to_string(flush_interval.count()));
    append(s, "FLUSH_MAX_CHANGES", std::to_string(flush_max_changes));
    append(s, "FLUSH_MAX_BYTES", std::to_string(flush_max_bytes));
    append(s, "EMIT_SCHEMA_CHANGES", bool_text(emit_schema_changes));
    append(s, "OUTPUT_FORMAT", to_string(output_format));
    append(s, "DEBEZIUM_SERVER_NAME", debezium_server_name);
    append(s, "DEBEZIUM_SCHEMAS", bool_text(debezium_schemas));
    append(s, "DEBEZIUM_DECIMAL_HANDLING", to_string(debezium_decimal));
    append(s, "DEBEZIUM_TRANSACTION_METADATA", bool_text(debezium_transaction_metadata));
    append(s, "KAFKA_BROKERS", kafka_brokers);
    append(s, "KAFKA_CONFIG_FILE", kafka_config_file);
    append(s, "KAFKA_TOPIC_TEMPLATE", kafka_topic_template);
    append(s, "KAFKA_COMPRESSION", to_string(kafka_compression));
    append(s, "KAFKA_MESSAGE_KEY", to_string(kafka_message_key));
    append(s, "KAFKA_TOMBSTONES", bool_text(kafka_tombstones));
    append(s, "SKIP_UNKNOWN_EVENTS", bool_text(skip_unknown_events));
    append(s, "STATEMENT_EVENTS", to_string(statement_events));
    append(s, "INCIDENT_EVENTS", to_string(incident_events));
    append(s, "LOG_LEVEL", to_string(log_level));
    append(s, "LOG_FORMAT", to_string(log_format));
    append(s, "METRICS_PORT", std::to_string(metrics_port));
    append(s, "METRICS_ADDRESS", metrics_address);
    append(s, "READY_UNREACHABLE_SECONDS", std::to_string(ready_unreachable.count()));
    return s;
}

std::uint32_t derive_server_id(const std::string& host, std::uint16_t port,
                               const std::string& state_dir, std::vector<model::TableId> tables) {
    std::sort(tables.begin(), tables.end());
    std::string key = host + ":" + std::to_string(port) + "|" + state_dir + "|";
    for (const model::TableId& t : tables) key += t.qualified() + ",";
    // FNV-1a: tiny, and unlike std::hash its value is fixed, so the id survives a rebuild.
    std::uint64_t h = 14695981039346656037ull;
    for (unsigned char c : key) {
        h ^= c;
        h *= 1099511628211ull;
    }
    return static_cast<std::uint32_t>(1000000000ull + h % 1000000000ull);
}

}  // namespace cdc::config
