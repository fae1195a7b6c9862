#include "config/settings.h"

#include <array>
#include <cassert>

namespace cdc::config {
namespace {

using enum SettingType;
using enum DefaultKind;
using Id = SettingId;

constexpr std::string_view kMysql = "MySQL connection";
constexpr std::string_view kTables = "Tables and snapshot";
constexpr std::string_view kOutput = "Output and buffering";
constexpr std::string_view kKafka = "Kafka";
constexpr std::string_view kOps = "Logging and operations";

constexpr std::int64_t kMiB = 1024 * 1024;

// Designated initializers keep each row readable; the order must follow SettingId.
constexpr std::array<SettingSpec, kSettingCount> kSettings{{
    {.id = Id::MysqlHost, .env = "MYSQL_HOST", .alt_env = "", .flag = "mysql-host",
     .type = String, .default_kind = None, .default_text = "", .group = kMysql,
     .description = "MySQL/MariaDB server host name or IP address (e.g. localhost), or a "
                    "comma-separated list of host[:port] of one replication topology, tried in "
                    "order on failover (docs/RESUMING.md)",
     .required = true},
    {.id = Id::MysqlPort, .env = "MYSQL_PORT", .alt_env = "", .flag = "mysql-port",
     .type = Integer, .default_kind = Literal, .default_text = "3306", .group = kMysql,
     .description = "Server TCP port; every connection is TCP, to `localhost` too (as the "
                    "original connector's)",
     .min = 1, .max = 65535},
    {.id = Id::MysqlUser, .env = "MYSQL_USER", .alt_env = "", .flag = "mysql-user",
     .type = String, .default_kind = None, .default_text = "", .group = kMysql,
     .description = "User with REPLICATION SLAVE and REPLICATION CLIENT (MariaDB: BINLOG MONITOR) "
                    "privileges, and SELECT on the tables for a snapshot",
     .required = true},
    {.id = Id::MysqlPassword, .env = "MYSQL_PASSWORD", .alt_env = "", .flag = "mysql-password",
     .type = Secret, .default_kind = None, .default_text = "", .group = kMysql,
     .description = "Password of MYSQL_USER; never logged. Prefer the environment or .env to the "
                    "flag: command lines are visible to other users"},
    {.id = Id::MysqlDatabase, .env = "MYSQL_DATABASE", .alt_env = "", .flag = "mysql-database",
     .type = String, .default_kind = None, .default_text = "", .group = kMysql,
     .description = "Schema of the tables in MYSQL_TABLE that are not written schema.table; "
                    "same as MYSQL_SCHEMA (give either, or both with the same value)"},
    {.id = Id::MysqlSchema, .env = "MYSQL_SCHEMA", .alt_env = "", .flag = "mysql-schema",
     .type = String, .default_kind = None, .default_text = "", .group = kMysql,
     .description = "Same as MYSQL_DATABASE"},
    {.id = Id::MysqlTable, .env = "MYSQL_TABLE", .alt_env = "", .flag = "mysql-table",
     .type = TableList, .default_kind = None, .default_text = "", .group = kTables,
     .description = "Table(s) to capture, comma-separated; each `table` (in MYSQL_SCHEMA), "
                    "`schema.table`, or a pattern: `shop.*`, `shop.order_%`, `/regex/` (see "
                    "\"Table patterns\" below). One replication connection serves them all",
     .required = true},
    {.id = Id::MysqlTableExclude, .env = "MYSQL_TABLE_EXCLUDE", .alt_env = "",
     .flag = "mysql-table-exclude", .type = TableList, .default_kind = None, .default_text = "",
     .group = kTables,
     .description = "Tables never captured, even when MYSQL_TABLE names or matches them: "
                    "comma-separated names or patterns, the same syntax as MYSQL_TABLE"},
    {.id = Id::MysqlSnapshotHost, .env = "MYSQL_SNAPSHOT_HOST", .alt_env = "",
     .flag = "mysql-snapshot-host", .type = String, .default_kind = Derived,
     .default_text = "MYSQL_HOST", .group = kTables,
     .description = "Host (or host:port) to read the initial snapshot from, e.g. a read replica"},
    {.id = Id::MysqlServerId, .env = "MYSQL_SERVER_ID", .alt_env = "", .flag = "mysql-server-id",
     .type = Integer, .default_kind = Derived,
     .default_text = "from a hash of host:port, state dir and tables, in 1000000000-1999999999",
     .group = kMysql,
     .description = "Server id this process registers with as a replica; must differ from the "
                    "server's and every other replica's. The default is stable across restarts",
     .min = 1, .max = 4294967295},
    {.id = Id::MysqlSslMode, .env = "MYSQL_SSL_MODE", .alt_env = "", .flag = "mysql-ssl-mode",
     .type = Choice, .default_kind = Literal, .default_text = "preferred", .group = kMysql,
     .description = "TLS to the server: disabled, preferred (TLS when the server offers it), "
                    "required, verify_ca (check the certificate), verify_identity (and host name)",
     .choices = "disabled|preferred|required|verify_ca|verify_identity"},
    {.id = Id::MysqlSslCa, .env = "MYSQL_SSL_CA", .alt_env = "", .flag = "mysql-ssl-ca",
     .type = ExistingFile, .default_kind = None, .default_text = "", .group = kMysql,
     .description = "PEM file of the CA that signed the server's certificate"},
    {.id = Id::MysqlHeartbeatSeconds, .env = "MYSQL_HEARTBEAT_SECONDS", .alt_env = "",
     .flag = "mysql-heartbeat-seconds", .type = Integer, .default_kind = Literal,
     .default_text = "15", .group = kMysql,
     .description = "Heartbeat period the server is asked for on an idle binlog, so a dead "
                    "connection is noticed; 0 disables",
     .min = 0, .max = 4294967},
    {.id = Id::MysqlConnectTimeoutSeconds, .env = "MYSQL_CONNECT_TIMEOUT_SECONDS", .alt_env = "",
     .flag = "mysql-connect-timeout-seconds", .type = Integer, .default_kind = Literal,
     .default_text = "10", .group = kMysql, .description = "Timeout of each connection attempt",
     .min = 1, .max = 3600},
    {.id = Id::InitialSnapshot, .env = "INITIAL_SNAPSHOT", .alt_env = "",
     .flag = "initial-snapshot", .type = Boolean, .default_kind = Literal, .default_text = "false",
     .group = kTables,
     .description = "Emit the existing rows (kind snapshot_insert) before streaming changes, once; "
                    "the older form of SNAPSHOT_MODE (true: initial, false: never)"},
    {.id = Id::SnapshotMode, .env = "SNAPSHOT_MODE", .alt_env = "", .flag = "snapshot-mode",
     .type = Choice, .default_kind = Derived,
     .default_text = "initial when INITIAL_SNAPSHOT=true, else never", .group = kTables,
     .description = "initial: snapshot the tables before streaming (when nothing is saved, after "
                    "an interrupted snapshot, and the tables added since the last run); never: no "
                    "snapshot, added tables are streamed from the restart point; when_needed: as "
                    "initial, and when the saved position is no longer on the server (purged, or "
                    "another server) a new snapshot of the tables instead of stopping "
                    "(docs/SNAPSHOT.md)",
     .choices = "initial|never|when_needed"},
    {.id = Id::SnapshotBatchSize, .env = "SNAPSHOT_BATCH_SIZE", .alt_env = "",
     .flag = "snapshot-batch-size", .type = Integer, .default_kind = Literal,
     .default_text = "1000", .group = kTables,
     .description = "Rows per snapshot chunk, the unit of progress and of resuming after a "
                    "crash (a query reads whole chunks, 10,000 rows or more)",
     .min = 1, .max = 1000000},
    {.id = Id::ForceSnapshot, .env = "FORCE_SNAPSHOT", .alt_env = "", .flag = "force-snapshot",
     .type = Boolean, .default_kind = Literal, .default_text = "false", .group = kTables,
     .description = "Take the snapshot again even if the state says it was completed"},
    {.id = Id::StateDir, .env = "Quix__State__Dir", .alt_env = "", .flag = "state-dir",
     .type = Path, .default_kind = Literal, .default_text = "state", .group = kOutput,
     .description = "Directory of the position files: binlog_position_{schema}_{table}.json "
                    "for one table, binlog_position__tables.json for several (earlier files "
                    "are taken over: docs/STATE.md), and xa-prepared/ for XA transactions "
                    "waiting for their commit; one running instance per directory"},
    {.id = Id::OutputSink, .env = "OUTPUT_SINK", .alt_env = "", .flag = "output-sink",
     .type = Choice, .default_kind = Derived,
     .default_text = "kafka when a broker is configured, else stdout", .group = kOutput,
     .description = "Where changes go: stdout (JSON lines, at-least-once), file (JSON lines to "
                    "OUTPUT_FILE, exactly once) or kafka (exactly once)",
     .choices = "stdout|file|kafka"},
    {.id = Id::OutputFile, .env = "OUTPUT_FILE", .alt_env = "", .flag = "output-file",
     .type = Path, .default_kind = None, .default_text = "", .group = kOutput,
     .description = "File the file sink appends JSON lines to; required when OUTPUT_SINK=file"},
    {.id = Id::Output, .env = "output", .alt_env = "", .flag = "output", .type = String,
     .default_kind = None, .default_text = "", .group = kOutput,
     .description = "Kafka topic for the changes; required for Kafka output unless "
                    "KAFKA_TOPIC_TEMPLATE is set"},
    {.id = Id::FlushIntervalMs, .env = "FLUSH_INTERVAL_MS", .alt_env = "",
     .flag = "flush-interval-ms", .type = Integer, .default_kind = Literal, .default_text = "500",
     .group = kOutput,
     .description = "Buffered changes are flushed (and the position saved) at least this often; "
                    "sooner, down to a fifth of it, when the stream has caught up with the server",
     .min = 1, .max = 600000},
    {.id = Id::FlushMaxChanges, .env = "FLUSH_MAX_CHANGES", .alt_env = "",
     .flag = "flush-max-changes", .type = Integer, .default_kind = Literal,
     .default_text = "10000", .group = kOutput,
     .description = "Flush early when this many changes are buffered", .min = 1, .max = 10000000},
    {.id = Id::FlushMaxBytes, .env = "FLUSH_MAX_BYTES", .alt_env = "", .flag = "flush-max-bytes",
     .type = Size, .default_kind = Literal, .default_text = "8MiB", .group = kOutput,
     .description = "Flush early when the buffered changes take this many bytes; bounds memory",
     .min = 1024, .max = 1024 * kMiB},
    {.id = Id::EmitSchemaChanges, .env = "EMIT_SCHEMA_CHANGES", .alt_env = "",
     .flag = "emit-schema-changes", .type = Boolean, .default_kind = Literal,
     .default_text = "false", .group = kOutput,
     .description = "Emit a `ddl` event (the statement, its position) for each ALTER, RENAME, "
                    "TRUNCATE, DROP, CREATE TABLE and CREATE/DROP INDEX of a watched table, in "
                    "order with its changes (docs/EVENTS.md)"},
    {.id = Id::OutputFormat, .env = "OUTPUT_FORMAT", .alt_env = "", .flag = "output-format",
     .type = Choice, .default_kind = Literal, .default_text = "seed", .group = kOutput,
     .description = "Shape of each change: seed (the original connector's events, "
                    "docs/OUTPUT.md) or debezium (Debezium's MySQL change-event envelope with "
                    "before/after/source/op, docs/DEBEZIUM.md)",
     .choices = "seed|debezium"},
    {.id = Id::DebeziumServerName, .env = "DEBEZIUM_SERVER_NAME", .alt_env = "",
     .flag = "debezium-server-name", .type = String, .default_kind = Literal,
     .default_text = "mysql-cdc", .group = kOutput,
     .description = "OUTPUT_FORMAT=debezium: the logical server name (Debezium's topic.prefix), "
                    "source.name and the prefix of the schema names"},
    {.id = Id::DebeziumSchemas, .env = "DEBEZIUM_SCHEMAS", .alt_env = "",
     .flag = "debezium-schemas", .type = Boolean, .default_kind = Literal,
     .default_text = "false", .group = kOutput,
     .description = "OUTPUT_FORMAT=debezium: wrap keys and values in {\"schema\":...,"
                    "\"payload\":...} as Kafka Connect's JsonConverter writes them with "
                    "schemas.enable=true"},
    {.id = Id::DebeziumDecimalHandling, .env = "DEBEZIUM_DECIMAL_HANDLING", .alt_env = "",
     .flag = "debezium-decimal-handling", .type = Choice, .default_kind = Literal,
     .default_text = "precise", .group = kOutput,
     .description = "OUTPUT_FORMAT=debezium: DECIMAL/NUMERIC as precise (base64 of the unscaled "
                    "value, Connect's Decimal), string or double (Debezium's "
                    "decimal.handling.mode)",
     .choices = "precise|string|double"},
    {.id = Id::DebeziumTransactionMetadata, .env = "DEBEZIUM_TRANSACTION_METADATA",
     .alt_env = "", .flag = "debezium-transaction-metadata", .type = Boolean,
     .default_kind = Literal, .default_text = "false", .group = kOutput,
     .description = "OUTPUT_FORMAT=debezium: fill each event's \"transaction\" block (id, "
                    "total_order, data_collection_order); null without it"},
    {.id = Id::KafkaBrokers, .env = "KAFKA_BROKERS", .alt_env = "Quix__Broker__Address",
     .flag = "kafka-brokers", .type = String, .default_kind = None, .default_text = "",
     .group = kKafka, .description = "Bootstrap brokers, comma-separated host:port"},
    {.id = Id::KafkaConfigFile, .env = "KAFKA_CONFIG_FILE", .alt_env = "",
     .flag = "kafka-config-file", .type = ExistingFile, .default_kind = None, .default_text = "",
     .group = kKafka,
     .description = "File of librdkafka properties, one key=value per line (SASL, SSL, ...)"},
    {.id = Id::KafkaTopicTemplate, .env = "KAFKA_TOPIC_TEMPLATE", .alt_env = "",
     .flag = "kafka-topic-template", .type = String, .default_kind = None, .default_text = "",
     .group = kKafka,
     .description = "One topic per table, e.g. cdc.{schema}.{table}; empty: every change goes to "
                    "the topic in `output`"},
    {.id = Id::KafkaCompression, .env = "KAFKA_COMPRESSION", .alt_env = "",
     .flag = "kafka-compression", .type = Choice, .default_kind = Literal, .default_text = "lz4",
     .group = kKafka, .description = "Compression of produced message batches",
     .choices = "none|gzip|snappy|lz4|zstd"},
    {.id = Id::KafkaMessageKey, .env = "KAFKA_MESSAGE_KEY", .alt_env = "",
     .flag = "kafka-message-key", .type = Choice, .default_kind = Literal,
     .default_text = "primary_key", .group = kKafka,
     .description = "Message key: primary_key (the row's key, with the table's name when "
                    "several tables share a topic, so rows of two tables never collapse under "
                    "compaction), bare_primary_key (the row's key alone, the key of earlier "
                    "versions), or "
                    "table (schema.table, as the original connector: all of a table's changes "
                    "in one partition, in commit order). docs/OUTPUT.md, Kafka",
     .choices = "primary_key|bare_primary_key|table"},
    {.id = Id::KafkaTombstones, .env = "KAFKA_TOMBSTONES", .alt_env = "",
     .flag = "kafka-tombstones", .type = Boolean, .default_kind = Literal,
     .default_text = "false", .group = kKafka,
     .description = "After each delete, a message with the same key and a null value, so log "
                    "compaction removes the row; not with KAFKA_MESSAGE_KEY=table"},
    {.id = Id::SkipUnknownEvents, .env = "SKIP_UNKNOWN_EVENTS", .alt_env = "",
     .flag = "skip-unknown-events", .type = Boolean, .default_kind = Literal,
     .default_text = "false", .group = kOps,
     .description = "Skip (and count) binlog events of unknown types instead of stopping"},
    {.id = Id::StatementEvents, .env = "STATEMENT_EVENTS", .alt_env = "",
     .flag = "statement-events", .type = Choice, .default_kind = Literal,
     .default_text = "fail", .group = kOps,
     .description = "A change of a watched table logged as a statement (binlog_format=STATEMENT "
                    "or MIXED in some session), whose rows cannot be streamed: fail stops with "
                    "its position, warn skips it with a warning and counts it (docs/EVENTS.md)",
     .choices = "fail|warn"},
    {.id = Id::IncidentEvents, .env = "INCIDENT_EVENTS", .alt_env = "",
     .flag = "incident-events", .type = Choice, .default_kind = Literal,
     .default_text = "fail", .group = kOps,
     .description = "An INCIDENT event (the server says changes may be missing from its binlog): "
                    "fail stops with its position, warn goes on with a warning (docs/EVENTS.md)",
     .choices = "fail|warn"},
    {.id = Id::LogLevel, .env = "LOG_LEVEL", .alt_env = "", .flag = "log-level", .type = Choice,
     .default_kind = Literal, .default_text = "info", .group = kOps,
     .description = "Least severe log level written (to stderr)",
     .choices = "trace|debug|info|warn|error"},
    {.id = Id::LogFormat, .env = "LOG_FORMAT", .alt_env = "", .flag = "log-format",
     .type = Choice, .default_kind = Literal, .default_text = "text", .group = kOps,
     .description = "Log lines as plain text or as one JSON object each, with the position, "
                    "GTID, table, rates and lag as fields of their own (docs/OUTPUT.md, Logs)",
     .choices = "text|json"},
    {.id = Id::MetricsPort, .env = "METRICS_PORT", .alt_env = "", .flag = "metrics-port",
     .type = Integer, .default_kind = Literal, .default_text = "0", .group = kOps,
     .description = "Port of the HTTP endpoint with /metrics (Prometheus), /healthz and "
                    "/readyz (docs/OPERATIONS.md); 0 turns it off",
     .min = 0, .max = 65535},
    {.id = Id::MetricsAddress, .env = "METRICS_ADDRESS", .alt_env = "",
     .flag = "metrics-address", .type = String, .default_kind = Literal,
     .default_text = "0.0.0.0", .group = kOps,
     .description = "Address the HTTP endpoint listens on: 0.0.0.0 for every interface, "
                    "127.0.0.1 for this host only"},
    {.id = Id::ReadyUnreachableSeconds, .env = "READY_UNREACHABLE_SECONDS", .alt_env = "",
     .flag = "ready-unreachable-seconds", .type = Integer, .default_kind = Literal,
     .default_text = "15", .group = kOps,
     .description = "/readyz answers 503 once the MySQL server or every Kafka broker has been "
                    "unreachable this long, or a flush has waited this long for its checkpoint",
     .min = 1, .max = 86400},
}};

std::string choice_list(std::string_view choices) {
    std::string out;
    for (char c : choices) out += c == '|' ? std::string(", ") : std::string(1, c);
    return out;
}

std::string size_text(std::int64_t bytes) {
    if (bytes % (1024 * kMiB) == 0) return std::to_string(bytes / (1024 * kMiB)) + "GiB";
    if (bytes % kMiB == 0) return std::to_string(bytes / kMiB) + "MiB";
    if (bytes % 1024 == 0) return std::to_string(bytes / 1024) + "KiB";
    return std::to_string(bytes);
}

}  // namespace

std::span<const SettingSpec> all_settings() { return kSettings; }

const SettingSpec& setting(SettingId id) {
    const SettingSpec& spec = kSettings[static_cast<std::size_t>(id)];
    assert(spec.id == id);
    return spec;
}

std::string accepted_values(const SettingSpec& spec) {
    switch (spec.type) {
        case String: return "text";
        case Secret: return "text";
        case Integer:
            return "an integer from " + std::to_string(spec.min) + " to " + std::to_string(spec.max);
        case Size:
            return "a size in bytes from " + size_text(spec.min) + " to " + size_text(spec.max) +
                   " (suffixes KiB, MiB, GiB)";
        case Boolean: return "true/false, 1/0, yes/no or on/off";
        case Choice: return "one of " + choice_list(spec.choices);
        case Path: return "a path";
        case ExistingFile: return "the path of an existing file";
        case TableList: return "comma-separated table or schema.table names or patterns";
    }
    return "text";
}

std::string default_display(const SettingSpec& spec) {
    if (spec.default_kind == DefaultKind::None) return "";
    return std::string(spec.default_text);
}

}  // namespace cdc::config
