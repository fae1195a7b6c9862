// Config: every setting of mysql-cdc, parsed, validated and typed. Built once at start-up by
// ConfigLoader (config_loader.h) from flags, the environment and .env, then read-only.
//
//   Result<Config> config = loader.load(env);
//   if (!config) { print(config.error().message); return 2; }
//   spdlog::info("configuration: {}", config->redacted_summary());   // never the password
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "config/host_list.h"
#include "model/table_id.h"
#include "model/table_pattern.h"

namespace cdc::config {

// Enumerators follow the order of the setting's `choices` in settings.cpp.
enum class OutputSink { Stdout, File, Kafka };
enum class SslMode { Disabled, Preferred, Required, VerifyCa, VerifyIdentity };
enum class KafkaCompression { None, Gzip, Snappy, Lz4, Zstd };
enum class LogLevel { Trace, Debug, Info, Warn, Error };
enum class LogFormat { Text, Json };
enum class EventPolicy { Fail, Warn };  // STATEMENT_EVENTS, INCIDENT_EVENTS
enum class SnapshotMode { Initial, Never, WhenNeeded };
enum class OutputFormat { Seed, Debezium };
enum class DecimalHandling { Precise, String, Double };
enum class MessageKey { PrimaryKey, BarePrimaryKey, Table };

// The lower-case names the settings accept (and librdkafka's codec names for compression).
std::string_view to_string(OutputSink v);
std::string_view to_string(SslMode v);
std::string_view to_string(KafkaCompression v);
std::string_view to_string(LogLevel v);
std::string_view to_string(LogFormat v);
std::string_view to_string(EventPolicy v);
std::string_view to_string(SnapshotMode v);
std::string_view to_string(OutputFormat v);
std::string_view to_string(DecimalHandling v);
std::string_view to_string(MessageKey v);

// A value that must never reach a log line: it has no implicit conversion to text, so printing
// it takes a deliberate reveal() at the one place that needs it (the connection).
class Secret {
public:
    Secret() = default;
    explicit Secret(std::string value) : value_(std::move(value)) {}
    const std::string& reveal() const { return value_; }
    bool empty() const { return value_.empty(); }
    bool operator==(const Secret&) const = default;

private:
    std::string value_;
};

struct Config {
    // MySQL connection
    std::string mysql_host;  // the first of mysql_hosts
    std::uint16_t mysql_port = 3306;
    // MYSQL_HOST's list, in order (one entry for a single host); tried in turn on failover.
    std::vector<HostPort> mysql_hosts;
    std::string mysql_user;
    Secret mysql_password;
    std::string mysql_schema;           // MYSQL_SCHEMA or MYSQL_DATABASE; "" if every table is qualified
    std::uint32_t mysql_server_id = 0;  // never 0 after load()
    bool mysql_server_id_derived = true;  // false when the user chose it (named in error messages)
    SslMode ssl_mode = SslMode::Preferred;
    std::string ssl_ca;  // "" when not given
    std::chrono::seconds heartbeat_interval{15};  // 0: no heartbeats
    std::chrono::seconds connect_timeout{10};

    // Tables and snapshot
    // MYSQL_TABLE's exact names, no duplicates, in the given order. With patterns the daemon
    // and `check` add the tables they match at start (app/table_resolution.h), so every module
    // gets the concrete list; may be empty only when patterns are given.
    std::vector<model::TableId> tables;
    // MYSQL_TABLE's patterns (exact names are in `tables`) and MYSQL_TABLE_EXCLUDE.
    model::TableSelection table_patterns;
    std::string snapshot_host;      // MYSQL_SNAPSHOT_HOST (its host part), else mysql_host
    std::uint16_t snapshot_port = 3306;  // the port of MYSQL_SNAPSHOT_HOST=host:port, else mysql_port
    // SNAPSHOT_MODE, or from INITIAL_SNAPSHOT when it is not given; initial_snapshot is
    // snapshot_mode != Never (the code that only asks whether snapshots are on reads it).
    SnapshotMode snapshot_mode = SnapshotMode::Never;
    bool initial_snapshot = false;
    std::uint32_t snapshot_batch_size = 1000;
    bool force_snapshot = false;

    // Output and buffering
    std::string state_dir = "state";
    OutputSink output_sink = OutputSink::Stdout;
    std::string output_file;   // set when output_sink == File
    std::string output_topic;  // the seed's `output`
    std::chrono::milliseconds flush_interval{500};
    std::size_t flush_max_changes = 10000;
    std::size_t flush_max_bytes = 8 * 1024 * 1024;
    bool emit_schema_changes = false;  // EMIT_SCHEMA_CHANGES: `ddl` events
    OutputFormat output_format = OutputFormat::Seed;
    // OUTPUT_FORMAT=debezium only (a DEBEZIUM_* setting with the seed format is refused).
    std::string debezium_server_name = "mysql-cdc";
    bool debezium_schemas = false;
    DecimalHandling debezium_decimal = DecimalHandling::Precise;
    bool debezium_transaction_metadata = false;

    // Kafka
    std::string kafka_brokers;      // librdkafka bootstrap.servers, items trimmed
    std::string kafka_config_file;  // "" when not given
    std::string kafka_topic_template;
    KafkaCompression kafka_compression = KafkaCompression::Lz4;
    MessageKey kafka_message_key = MessageKey::PrimaryKey;
    bool kafka_tombstones = false;  // a null-valued message after each delete

    // Logging and operations
    bool skip_unknown_events = false;
    EventPolicy statement_events = EventPolicy::Fail;
    EventPolicy incident_events = EventPolicy::Fail;
    LogLevel log_level = LogLevel::Info;
    LogFormat log_format = LogFormat::Text;
    std::uint16_t metrics_port = 0;  // 0: no metrics endpoint
    std::string metrics_address = "0.0.0.0";
    std::chrono::seconds ready_unreachable{15};  // /readyz: unreachable this long is not ready

    // Things that are valid but probably not what the user meant; the app logs them at start.
    std::vector<std::string> warnings;

    // The Kafka topic for a table's changes: KAFKA_TOPIC_TEMPLATE expanded, else `output`.
    std::string topic_for(const model::TableId& table) const;
    // Whether tables may share a topic: KAFKA_TOPIC_TEMPLATE does not name both {schema} and
    // {table}. Then KAFKA_MESSAGE_KEY=primary_key puts the table's name into the key.
    bool topics_shared() const;

    // One line of ENV=value pairs for the start-up log; secrets show as <redacted>.
    std::string redacted_summary() const;
};

// The default replica server id: a hash of host:port, state dir and the sorted table list mapped
// into [1000000000, 1999999999], so it is stable across restarts, differs between instances that
// watch different things, and avoids the small ids people give real servers.
std::uint32_t derive_server_id(const std::string& host, std::uint16_t port,
                               const std::string& state_dir, std::vector<model::TableId> tables);

}  // namespace cdc::config
