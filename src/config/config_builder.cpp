#include "config/config_builder.h"

#include <algorithm>
#include <utility>
#include <variant>

#include "config/host_list.h"
#include "config/setting_reader.h"
#include "config/value_parsers.h"

namespace cdc::config {
namespace {

using Id = SettingId;

// MYSQL_SNAPSHOT_HOST is a host (port MYSQL_PORT) or host:port ([v6]:port), so a replica on
// another port can be named.
void read_snapshot_host(SettingReader& r, Config& c) {
    c.snapshot_host = c.mysql_host;
    c.snapshot_port = c.mysql_port;
    if (!r.given(Id::MysqlSnapshotHost)) return;
    std::string text = r.text(Id::MysqlSnapshotHost);
    size_t colon = text.rfind(':');
    bool bracketed = !text.empty() && text.front() == '[';
    bool has_port = colon != std::string::npos &&
                    (bracketed ? colon > 0 && text[colon - 1] == ']'
                               : text.find(':') == colon);  // a bare IPv6 address has several
    if (!has_port) {
        c.snapshot_host = bracketed && text.back() == ']' ? text.substr(1, text.size() - 2) : text;
        return;
    }
    std::string port = text.substr(colon + 1);
    unsigned long value = 0;
    bool valid = !port.empty() && port.size() <= 5 &&
                 std::all_of(port.begin(), port.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
    if (valid) value = std::stoul(port);
    if (!valid || value == 0 || value > 65535) {
        r.fail(Id::MysqlSnapshotHost, "has an invalid port", "host or host:port (port 1-65535)");
        return;
    }
    c.snapshot_host = bracketed ? text.substr(1, colon - 2) : text.substr(0, colon);
    c.snapshot_port = static_cast<std::uint16_t>(value);
    if (c.snapshot_host.empty()) r.fail(Id::MysqlSnapshotHost, "has no host", "host or host:port");
}

void read_connection(SettingReader& r, Config& c) {
    c.mysql_host = r.required_text(Id::MysqlHost);
    c.mysql_port = static_cast<std::uint16_t>(r.number(Id::MysqlPort));
    // A list (failover): mysql_host/mysql_port are its first entry, as a single host is.
    if (!c.mysql_host.empty()) {
        auto hosts = parse_host_list(c.mysql_host, c.mysql_port);
        if (auto* error = std::get_if<std::string>(&hosts)) {
            r.fail(Id::MysqlHost, *error, "host, host:port, or a comma-separated list of them");
        } else {
            c.mysql_hosts = std::get<std::vector<HostPort>>(hosts);
            c.mysql_host = c.mysql_hosts.front().host;
            c.mysql_port = c.mysql_hosts.front().port;
        }
    }
    c.mysql_user = r.required_text(Id::MysqlUser);
    c.mysql_password = Secret(r.text(Id::MysqlPassword));
    c.mysql_server_id_derived = !r.given(Id::MysqlServerId);
    if (r.given(Id::MysqlServerId)) {
        c.mysql_server_id = static_cast<std::uint32_t>(r.number(Id::MysqlServerId));
    }
    c.ssl_mode = static_cast<SslMode>(r.choice(Id::MysqlSslMode));
    c.ssl_ca = r.existing_file(Id::MysqlSslCa);
    c.heartbeat_interval = std::chrono::seconds(r.number(Id::MysqlHeartbeatSeconds));
    c.connect_timeout = std::chrono::seconds(r.number(Id::MysqlConnectTimeoutSeconds));
    read_snapshot_host(r, c);
}

void read_schema(SettingReader& r, Config& c) {
    std::string database = r.text(Id::MysqlDatabase);
    std::string schema = r.text(Id::MysqlSchema);
    if (!database.empty() && !schema.empty() && database != schema) {
        r.fail_line("MYSQL_DATABASE=" + database + " and MYSQL_SCHEMA=" + schema +
                    " differ: both name the schema of unqualified tables; set one of them, or "
                    "both to the same value");
    }
    c.mysql_schema = schema.empty() ? database : schema;
}

// Unqualified items take MYSQL_SCHEMA; that they have one is checked across settings later.
// Exact names go to `tables` (parsed as before patterns existed), patterns to `patterns`.
void read_table_items(SettingReader& r, Id id, std::vector<model::TableId>& tables,
                      std::vector<model::TablePattern>& patterns) {
    std::string list = id == Id::MysqlTable ? r.required_text(id) : r.text(id);
    if (list.empty()) return;
    bool reported_empty = false;  // "a,,b" or "," : one line, not one per empty item
    for (const std::string& item : split_list(list)) {
        if (item.empty()) {
            if (!reported_empty) r.fail(id, "has an empty item");
            reported_empty = true;
            continue;
        }
        auto pattern = model::parse_table_pattern(item);
        if (auto* problem = std::get_if<std::string>(&pattern)) {
            r.fail(id, "item " + item + " " + *problem);
            continue;
        }
        auto& p = std::get<model::TablePattern>(pattern);
        if (p.kind != model::TablePattern::Kind::Exact) {
            patterns.push_back(std::move(p));
            continue;
        }
        auto parsed = parse_table_item(item);
        if (auto* problem = std::get_if<std::string>(&parsed)) {
            r.fail(id, "item " + item + " " + *problem);
            continue;
        }
        tables.push_back(std::get<model::TableId>(std::move(parsed)));
    }
}

void read_tables(SettingReader& r, Config& c) {
    read_table_items(r, Id::MysqlTable, c.tables, c.table_patterns.include);
    // Exact names excluded are patterns that match one table.
    std::vector<model::TableId> excluded;
    read_table_items(r, Id::MysqlTableExclude, excluded, c.table_patterns.exclude);
    for (model::TableId& t : excluded) {
        model::TablePattern p;
        p.text = t.schema.empty() ? t.table : t.qualified();
        p.schema = std::move(t.schema);
        p.table = std::move(t.table);
        c.table_patterns.exclude.push_back(std::move(p));
    }
}

// SNAPSHOT_MODE, or INITIAL_SNAPSHOT (the seed's setting) when it is not given; both given
// must agree, or neither is sure to be what the user meant.
void read_snapshot_mode(SettingReader& r, Config& c) {
    bool initial = r.boolean(Id::InitialSnapshot);
    if (!r.given(Id::SnapshotMode)) {
        c.snapshot_mode = initial ? SnapshotMode::Initial : SnapshotMode::Never;
    } else {
        c.snapshot_mode = static_cast<SnapshotMode>(r.choice(Id::SnapshotMode));
        bool snapshots = c.snapshot_mode != SnapshotMode::Never;
        if (r.given(Id::InitialSnapshot) && initial != snapshots) {
            r.fail_line("SNAPSHOT_MODE=" + std::string(to_string(c.snapshot_mode)) +
                        " and INITIAL_SNAPSHOT=" + (initial ? "true" : "false") +
                        " disagree: INITIAL_SNAPSHOT=true is SNAPSHOT_MODE=initial (or "
                        "when_needed), false is never; set only SNAPSHOT_MODE");
        }
    }
    c.initial_snapshot = c.snapshot_mode != SnapshotMode::Never;
}

void read_snapshot_and_output(SettingReader& r, Config& c) {
    read_snapshot_mode(r, c);
    c.snapshot_batch_size = static_cast<std::uint32_t>(r.number(Id::SnapshotBatchSize));
    c.force_snapshot = r.boolean(Id::ForceSnapshot);
    c.state_dir = r.text(Id::StateDir);
    c.output_file = r.text(Id::OutputFile);
    c.output_topic = r.text(Id::Output);
    c.flush_interval = std::chrono::milliseconds(r.number(Id::FlushIntervalMs));
    c.flush_max_changes = static_cast<std::size_t>(r.number(Id::FlushMaxChanges));
    c.flush_max_bytes = static_cast<std::size_t>(r.number(Id::FlushMaxBytes));
    c.emit_schema_changes = r.boolean(Id::EmitSchemaChanges);
    c.output_format = static_cast<OutputFormat>(r.choice(Id::OutputFormat));
    c.debezium_server_name = r.text(Id::DebeziumServerName);
    c.debezium_schemas = r.boolean(Id::DebeziumSchemas);
    c.debezium_decimal = static_cast<DecimalHandling>(r.choice(Id::DebeziumDecimalHandling));
    c.debezium_transaction_metadata = r.boolean(Id::DebeziumTransactionMetadata);
}

void read_kafka_and_operations(SettingReader& r, Config& c) {
    std::string brokers = r.text(Id::KafkaBrokers);
    if (!brokers.empty()) {
        std::vector<std::string> items = split_list(brokers);
        bool has_empty = std::any_of(items.begin(), items.end(), [](auto& i) { return i.empty(); });
        if (has_empty) r.fail(Id::KafkaBrokers, "has an empty item", "comma-separated host:port");
        for (const std::string& item : items) {
            c.kafka_brokers += (c.kafka_brokers.empty() ? "" : ",") + item;
        }
    }
    c.kafka_config_file = r.existing_file(Id::KafkaConfigFile);
    c.kafka_topic_template = r.text(Id::KafkaTopicTemplate);
    if (std::string problem = topic_template_problem(c.kafka_topic_template);
        !c.kafka_topic_template.empty() && !problem.empty()) {
        r.fail(Id::KafkaTopicTemplate, problem,
               "a topic name with {schema} and/or {table}, e.g. cdc.{schema}.{table}");
    }
    c.kafka_compression = static_cast<KafkaCompression>(r.choice(Id::KafkaCompression));
    c.kafka_message_key = static_cast<MessageKey>(r.choice(Id::KafkaMessageKey));
    c.kafka_tombstones = r.boolean(Id::KafkaTombstones);
    // A broker is what makes Kafka the default, as in the seed (which always wrote to Kafka).
    c.output_sink = r.given(Id::OutputSink) ? static_cast<OutputSink>(r.choice(Id::OutputSink))
                    : c.kafka_brokers.empty() ? OutputSink::Stdout
                                              : OutputSink::Kafka;
    c.skip_unknown_events = r.boolean(Id::SkipUnknownEvents);
    c.statement_events = static_cast<EventPolicy>(r.choice(Id::StatementEvents));
    c.incident_events = static_cast<EventPolicy>(r.choice(Id::IncidentEvents));
    c.log_level = static_cast<LogLevel>(r.choice(Id::LogLevel));
    c.log_format = static_cast<LogFormat>(r.choice(Id::LogFormat));
    c.metrics_port = static_cast<std::uint16_t>(r.number(Id::MetricsPort));
    c.metrics_address = r.text(Id::MetricsAddress);
    c.ready_unreachable = std::chrono::seconds(r.number(Id::ReadyUnreachableSeconds));
}

void check_tables(SettingReader& r, Config& c) {
    auto needs_schema = [&](const char* setting, const std::string& item) {
        r.fail_line(std::string(setting) + " item " + item +
                    " has no schema: write it as schema.table, or set " +
                    SettingReader::both_names(Id::MysqlSchema) + " or " +
                    SettingReader::both_names(Id::MysqlDatabase));
    };
    for (model::TableId& t : c.tables) {
        if (!t.schema.empty()) continue;
        if (c.mysql_schema.empty()) needs_schema("MYSQL_TABLE", t.table);
        t.schema = c.mysql_schema;
    }
    for (auto* list : {&c.table_patterns.include, &c.table_patterns.exclude}) {
        for (model::TablePattern& p : *list) {
            if (p.kind == model::TablePattern::Kind::Regex || !p.schema.empty()) continue;
            if (c.mysql_schema.empty()) {
                needs_schema(
                    list == &c.table_patterns.include ? "MYSQL_TABLE" : "MYSQL_TABLE_EXCLUDE",
                    p.text);
            }
            p.schema = c.mysql_schema;
        }
    }
    std::erase_if(c.tables, [&](const model::TableId& t) {
        bool excluded = c.table_patterns.excluded(t);
        if (excluded) {
            c.warnings.push_back("MYSQL_TABLE names " + t.qualified() +
                                 " and MYSQL_TABLE_EXCLUDE excludes it: it is not captured");
        }
        return excluded;
    });
    if (c.tables.empty() && c.table_patterns.include.empty() && !r.has_errors()) {
        r.fail_line("MYSQL_TABLE_EXCLUDE excludes every table MYSQL_TABLE names: nothing to "
                    "capture");
    }
    for (std::size_t i = 0; i < c.tables.size(); ++i) {
        for (std::size_t j = 0; j < i; ++j) {
            if (c.tables[i] == c.tables[j] && !c.tables[i].schema.empty()) {
                r.fail(Id::MysqlTable, "names " + c.tables[i].qualified() + " twice");
                break;
            }
        }
    }
}

// A setting that is parsed but changes nothing is a mistake the user should hear about: the
// DEBEZIUM_* settings shape only the Debezium format, tombstones keyed by table would erase
// the whole table under compaction, and the KAFKA_* ones do nothing without Kafka.
void check_format_and_keys(SettingReader& r, Config& c) {
    if (c.output_format != OutputFormat::Debezium) {
        const Config defaults;
        const std::pair<Id, bool> changed[] = {
            {Id::DebeziumServerName, c.debezium_server_name != defaults.debezium_server_name},
            {Id::DebeziumSchemas, c.debezium_schemas != defaults.debezium_schemas},
            {Id::DebeziumDecimalHandling, c.debezium_decimal != defaults.debezium_decimal},
            {Id::DebeziumTransactionMetadata,
             c.debezium_transaction_metadata != defaults.debezium_transaction_metadata}};
        for (auto [id, differs] : changed) {
            if (!differs) continue;
            std::string env(setting(id).env);
            r.fail_line(env + "=" + r.text(id) + " applies to OUTPUT_FORMAT=debezium only, and "
                        "OUTPUT_FORMAT is " + std::string(to_string(c.output_format)) +
                        ": set OUTPUT_FORMAT=debezium or remove " + env);
        }
    }
    if (c.kafka_tombstones && c.kafka_message_key == MessageKey::Table) {
        r.fail_line("KAFKA_TOMBSTONES=true cannot be used with KAFKA_MESSAGE_KEY=table: a "
                    "tombstone keyed by the table's name would remove every row of the table "
                    "under log compaction; use KAFKA_MESSAGE_KEY=primary_key for tombstones");
    }
    if (c.output_sink == OutputSink::Kafka) return;
    for (Id id : {Id::KafkaMessageKey, Id::KafkaTombstones}) {
        if (!r.given(id)) continue;
        c.warnings.push_back(std::string(setting(id).env) + " is set but OUTPUT_SINK is " +
                             std::string(to_string(c.output_sink)) +
                             ": it applies to Kafka only (this sink writes no keys and no "
                             "tombstones)");
    }
}

void check_output(SettingReader& r, Config& c) {
    check_format_and_keys(r, c);
    if (c.output_sink == OutputSink::File && c.output_file.empty()) {
        r.fail_line("OUTPUT_FILE is required when OUTPUT_SINK=file (flag --output-file): the file "
                    "to append JSON lines to");
    }
    if (c.output_sink != OutputSink::File && !c.output_file.empty()) {
        c.warnings.push_back("OUTPUT_FILE is set but OUTPUT_SINK is " +
                             std::string(to_string(c.output_sink)) + ": the file is not written");
    }
    if (c.output_sink != OutputSink::Kafka) return;
    if (c.kafka_brokers.empty()) {
        r.fail_line("OUTPUT_SINK=kafka needs " + SettingReader::both_names(Id::KafkaBrokers) +
                    " or Quix__Broker__Address: the bootstrap brokers, comma-separated host:port");
    }
    if (c.output_topic.empty() && c.kafka_topic_template.empty()) {
        r.fail_line("output (flag --output) is required for Kafka output: the topic to write "
                    "changes to; or set " + SettingReader::both_names(Id::KafkaTopicTemplate));
    } else if (!c.output_topic.empty() && !is_valid_topic_name(c.output_topic)) {
        r.fail(Id::Output, "is not a valid Kafka topic name",
               "1 to 249 characters of a-z A-Z 0-9 . _ -");
    }
}

Error joined(const std::vector<std::string>& lines) {
    std::string message;
    for (const std::string& line : lines) message += (message.empty() ? "" : "\n") + line;
    return make_error(Errc::InvalidArgument, std::move(message));
}

}  // namespace

Result<Config> build_config(const RawValues& raw) {
    SettingReader r(raw);
    Config c;
    read_connection(r, c);
    read_schema(r, c);
    read_tables(r, c);
    read_snapshot_and_output(r, c);
    read_kafka_and_operations(r, c);
    if (r.has_errors()) return joined(r.errors());

    check_tables(r, c);
    check_output(r, c);
    if (r.has_errors()) return joined(r.errors());

    if (c.mysql_server_id_derived) {
        // Patterns count as written (what they match may change), so the id stays stable.
        std::vector<model::TableId> named = c.tables;
        for (const model::TablePattern& p : c.table_patterns.include) {
            named.push_back({"", p.text});
        }
        c.mysql_server_id = derive_server_id(c.mysql_host, c.mysql_port, c.state_dir, named);
    }
    if (!c.ssl_ca.empty() && c.ssl_mode == SslMode::Disabled) {
        c.warnings.push_back("MYSQL_SSL_CA is set but MYSQL_SSL_MODE=disabled: it is not used");
    }
    return c;
}

}  // namespace cdc::config
