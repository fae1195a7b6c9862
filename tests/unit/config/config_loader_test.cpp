#include "config/config_loader.h"

#include <gtest/gtest.h>

#include <CLI/CLI.hpp>
#include <functional>

#include "test_env.h"

namespace cdc::config {
namespace {

using testing::minimal_env;
using testing::with;

Config load_ok(const EnvMap& env) {
    Result<Config> c = load_config(env);
    EXPECT_TRUE(c.ok()) << c.error().message;
    return c.ok() ? *c : Config{};
}

std::string load_error(const EnvMap& env) {
    Result<Config> c = load_config(env);
    EXPECT_FALSE(c.ok());
    if (c.ok()) return "";
    EXPECT_EQ(c.error().code, Errc::InvalidArgument);
    return c.error().message;
}

TEST(ConfigLoader, DefaultsMatchTheSeedAndTheDesign) {
    Config c = load_ok(minimal_env());
    EXPECT_EQ(c.mysql_host, "db");
    EXPECT_EQ(c.mysql_port, 3306);
    EXPECT_EQ(c.mysql_user, "cdc");
    EXPECT_TRUE(c.mysql_password.empty());
    EXPECT_EQ(c.tables, (std::vector<model::TableId>{{"shop", "orders"}}));
    EXPECT_EQ(c.snapshot_host, "db");
    EXPECT_TRUE(c.mysql_server_id_derived);
    EXPECT_GE(c.mysql_server_id, 1000000000u);
    EXPECT_LE(c.mysql_server_id, 1999999999u);
    EXPECT_EQ(c.ssl_mode, SslMode::Preferred);
    EXPECT_EQ(c.ssl_ca, "");
    EXPECT_EQ(c.heartbeat_interval, std::chrono::seconds(15));
    EXPECT_EQ(c.connect_timeout, std::chrono::seconds(10));
    EXPECT_FALSE(c.initial_snapshot);
    EXPECT_EQ(c.snapshot_batch_size, 1000u);
    EXPECT_FALSE(c.force_snapshot);
    EXPECT_EQ(c.state_dir, "state");
    EXPECT_EQ(c.output_sink, OutputSink::Stdout);
    EXPECT_EQ(c.flush_interval, std::chrono::milliseconds(500));
    EXPECT_EQ(c.flush_max_changes, 10000u);
    EXPECT_EQ(c.flush_max_bytes, 8u * 1024 * 1024);
    EXPECT_EQ(c.kafka_brokers, "");
    EXPECT_EQ(c.kafka_topic_template, "");
    EXPECT_EQ(c.kafka_compression, KafkaCompression::Lz4);
    EXPECT_FALSE(c.skip_unknown_events);
    EXPECT_EQ(c.log_level, LogLevel::Info);
    EXPECT_EQ(c.log_format, LogFormat::Text);
    EXPECT_EQ(c.metrics_port, 0);
    EXPECT_TRUE(c.warnings.empty());
}

TEST(ConfigLoader, RequiredSettingsAreAllReportedOnePerLine) {
    std::string e = load_error({});
    EXPECT_EQ(
        e,
        "MYSQL_HOST is required but not set (flag --mysql-host): MySQL/MariaDB server host "
        "name or IP address (e.g. localhost), or a comma-separated list of host[:port] of one "
        "replication topology, tried in order on failover (docs/RESUMING.md)\n"
        "MYSQL_USER is required but not set (flag --mysql-user): User with REPLICATION SLAVE "
        "and REPLICATION CLIENT (MariaDB: BINLOG MONITOR) privileges, and SELECT on the "
        "tables for a snapshot\n"
        "MYSQL_TABLE is required but not set (flag --mysql-table): Table(s) to capture, "
        "comma-separated; each `table` (in MYSQL_SCHEMA), `schema.table`, or a pattern: "
        "`shop.*`, `shop.order_%`, `/regex/` (see \"Table patterns\" below). One "
        "replication connection serves them all");
}

TEST(ConfigLoader, EmptyValuesCountAsUnset) {
    Config c = load_ok(with(with(minimal_env(), "MYSQL_PORT", ""), "LOG_LEVEL", ""));
    EXPECT_EQ(c.mysql_port, 3306);
    EXPECT_EQ(c.log_level, LogLevel::Info);
    EXPECT_NE(load_error(with(minimal_env(), "MYSQL_HOST", "")).find("MYSQL_HOST is required"),
              std::string::npos);
}

struct ValidCase {
    const char* env;
    const char* value;
    std::function<bool(const Config&)> check;
};

TEST(ConfigLoader, EachVariableAcceptsAValidValue) {
    const std::vector<ValidCase> cases = {
        {"MYSQL_HOST", " localhost ", [](auto& c) { return c.mysql_host == "localhost"; }},
        {"MYSQL_PORT", "3307", [](auto& c) { return c.mysql_port == 3307; }},
        {"MYSQL_USER", "repl", [](auto& c) { return c.mysql_user == "repl"; }},
        {"MYSQL_PASSWORD", " p w ", [](auto& c) { return c.mysql_password.reveal() == " p w "; }},
        {"MYSQL_DATABASE", "shop", [](auto& c) { return c.mysql_schema == "shop"; }},
        {"MYSQL_SCHEMA", "shop", [](auto& c) { return c.mysql_schema == "shop"; }},
        {"MYSQL_TABLE", "a.b",
         [](auto& c) {
             return c.tables[0] == model::TableId{"a", "b"};
         }},
        {"MYSQL_SNAPSHOT_HOST", "replica", [](auto& c) { return c.snapshot_host == "replica"; }},
        {"MYSQL_SERVER_ID", "4294967295",
         [](auto& c) { return c.mysql_server_id == 4294967295u && !c.mysql_server_id_derived; }},
        {"MYSQL_SSL_MODE", "VERIFY_IDENTITY",
         [](auto& c) { return c.ssl_mode == SslMode::VerifyIdentity; }},
        {"MYSQL_SSL_CA", "/dev/null", [](auto& c) { return c.ssl_ca == "/dev/null"; }},
        {"MYSQL_HEARTBEAT_SECONDS", "0", [](auto& c) { return c.heartbeat_interval.count() == 0; }},
        {"MYSQL_CONNECT_TIMEOUT_SECONDS", "3",
         [](auto& c) { return c.connect_timeout.count() == 3; }},
        {"INITIAL_SNAPSHOT", "Yes", [](auto& c) { return c.initial_snapshot; }},
        {"SNAPSHOT_BATCH_SIZE", "1000000",
         [](auto& c) { return c.snapshot_batch_size == 1000000; }},
        {"FORCE_SNAPSHOT", "on", [](auto& c) { return c.force_snapshot; }},
        {"Quix__State__Dir", "./st", [](auto& c) { return c.state_dir == "./st"; }},
        {"OUTPUT_SINK", "stdout", [](auto& c) { return c.output_sink == OutputSink::Stdout; }},
        {"output", "topic-1", [](auto& c) { return c.output_topic == "topic-1"; }},
        {"FLUSH_INTERVAL_MS", "600000", [](auto& c) { return c.flush_interval.count() == 600000; }},
        {"FLUSH_MAX_CHANGES", "1", [](auto& c) { return c.flush_max_changes == 1; }},
        {"FLUSH_MAX_BYTES", "64KiB", [](auto& c) { return c.flush_max_bytes == 65536; }},
        {"KAFKA_CONFIG_FILE", "/dev/null",
         [](auto& c) { return c.kafka_config_file == "/dev/null"; }},
        {"KAFKA_TOPIC_TEMPLATE", "cdc.{schema}.{table}",
         [](auto& c) {
             return c.topic_for({"s", "t"}) == "cdc.s.t";
         }},
        {"KAFKA_COMPRESSION", "zstd",
         [](auto& c) { return c.kafka_compression == KafkaCompression::Zstd; }},
        {"SKIP_UNKNOWN_EVENTS", "1", [](auto& c) { return c.skip_unknown_events; }},
        {"LOG_LEVEL", "Debug", [](auto& c) { return c.log_level == LogLevel::Debug; }},
        {"LOG_FORMAT", "json", [](auto& c) { return c.log_format == LogFormat::Json; }},
        {"METRICS_PORT", "9100", [](auto& c) { return c.metrics_port == 9100; }},
    };
    for (const ValidCase& vc : cases) {
        Config c = load_ok(with(minimal_env(), vc.env, vc.value));
        EXPECT_TRUE(vc.check(c)) << vc.env << "=" << vc.value;
    }
}

TEST(ConfigLoader, KafkaBrokersAreTrimmedAndSelectKafka) {
    Config c = load_ok(with(with(minimal_env(), "KAFKA_BROKERS", " k1:9092, k2:9092 "), "output",
                            "changes"));
    EXPECT_EQ(c.kafka_brokers, "k1:9092,k2:9092");
    EXPECT_EQ(c.output_sink, OutputSink::Kafka);
}

TEST(ConfigLoader, MysqlHostTakesAListForFailover) {
    Config one = load_ok(with(minimal_env(), "MYSQL_PORT", "3310"));
    ASSERT_EQ(one.mysql_hosts.size(), 1u);
    EXPECT_EQ(one.mysql_hosts[0].port, 3310);
    EXPECT_EQ(one.mysql_port, 3310);
    Config list =
        load_ok(with(with(minimal_env(), "MYSQL_HOST", "db1, db2:3307"), "MYSQL_PORT", "3310"));
    ASSERT_EQ(list.mysql_hosts.size(), 2u);
    EXPECT_EQ(list.mysql_host, "db1");  // the first entry, as a single host
    EXPECT_EQ(list.mysql_port, 3310);
    EXPECT_EQ(list.mysql_hosts[1], (HostPort{"db2", 3307}));
    EXPECT_NE(list.redacted_summary().find("MYSQL_HOST=db1:3310,db2:3307"), std::string::npos)
        << list.redacted_summary();
    std::string e = load_error(with(minimal_env(), "MYSQL_HOST", "db1,,db2"));
    EXPECT_NE(e.find("MYSQL_HOST"), std::string::npos) << e;
    EXPECT_NE(e.find("empty entry"), std::string::npos) << e;
}

TEST(ConfigLoader, EachVariableRejectsAnInvalidValueWithOneClearLine) {
    const std::vector<std::pair<EnvMap, std::string>> cases = {
        {{{"MYSQL_PORT", "0"}}, "MYSQL_PORT=0 is out of range: expected an integer from 1 to "
                                "65535 (flag --mysql-port)"},
        {{{"MYSQL_PORT", "http"}}, "MYSQL_PORT=http is not a number: expected an integer from 1 "
                                   "to 65535 (flag --mysql-port)"},
        {{{"MYSQL_SERVER_ID", "0"}}, "MYSQL_SERVER_ID=0 is out of range: expected an integer "
                                     "from 1 to 4294967295 (flag --mysql-server-id)"},
        {{{"MYSQL_SSL_MODE", "strict"}}, "MYSQL_SSL_MODE=strict is not accepted: expected one of "
                                         "disabled, preferred, required, verify_ca, "
                                         "verify_identity (flag --mysql-ssl-mode)"},
        {{{"MYSQL_SSL_CA", "/nonexistent/ca.pem"}},
         "MYSQL_SSL_CA=/nonexistent/ca.pem does not exist: expected the path of an existing file "
         "(flag --mysql-ssl-ca)"},
        {{{"MYSQL_HEARTBEAT_SECONDS", "4294968"}},
         "MYSQL_HEARTBEAT_SECONDS=4294968 is out of range: expected an integer from 0 to 4294967 "
         "(flag --mysql-heartbeat-seconds)"},
        {{{"MYSQL_CONNECT_TIMEOUT_SECONDS", "0"}},
         "MYSQL_CONNECT_TIMEOUT_SECONDS=0 is out of range: expected an integer from 1 to 3600 "
         "(flag --mysql-connect-timeout-seconds)"},
        {{{"INITIAL_SNAPSHOT", "maybe"}}, "INITIAL_SNAPSHOT=maybe is not a boolean: expected "
                                          "true/false, 1/0, yes/no or on/off (flag "
                                          "--initial-snapshot)"},
        {{{"SNAPSHOT_BATCH_SIZE", "abc"}}, "SNAPSHOT_BATCH_SIZE=abc is not a number: expected an "
                                           "integer from 1 to 1000000 (flag --snapshot-batch-size)"},
        {{{"SNAPSHOT_BATCH_SIZE", "1000001"}},
         "SNAPSHOT_BATCH_SIZE=1000001 is out of range: expected an integer from 1 to 1000000 "
         "(flag --snapshot-batch-size)"},
        {{{"FORCE_SNAPSHOT", "TRUE!"}}, "FORCE_SNAPSHOT=TRUE! is not a boolean: expected "
                                        "true/false, 1/0, yes/no or on/off (flag --force-snapshot)"},
        {{{"OUTPUT_SINK", "kafak"}}, "OUTPUT_SINK=kafak is not accepted: expected one of stdout, "
                                     "file, kafka (flag --output-sink)"},
        {{{"FLUSH_INTERVAL_MS", "0"}}, "FLUSH_INTERVAL_MS=0 is out of range: expected an integer "
                                       "from 1 to 600000 (flag --flush-interval-ms)"},
        {{{"FLUSH_MAX_CHANGES", "-5"}}, "FLUSH_MAX_CHANGES=-5 is out of range: expected an "
                                        "integer from 1 to 10000000 (flag --flush-max-changes)"},
        {{{"FLUSH_MAX_BYTES", "8MB"}}, "FLUSH_MAX_BYTES=8MB is not a size: expected a size in "
                                       "bytes from 1KiB to 1GiB (suffixes KiB, MiB, GiB) (flag "
                                       "--flush-max-bytes)"},
        {{{"KAFKA_BROKERS", "k1:9092,,k2"}}, "KAFKA_BROKERS=k1:9092,,k2 has an empty item: "
                                             "expected comma-separated host:port (flag "
                                             "--kafka-brokers)"},
        {{{"KAFKA_CONFIG_FILE", "/tmp"}}, "KAFKA_CONFIG_FILE=/tmp is a directory: expected the "
                                          "path of an existing file (flag --kafka-config-file)"},
        {{{"KAFKA_TOPIC_TEMPLATE", "cdc.{db}"}},
         "KAFKA_TOPIC_TEMPLATE=cdc.{db} has an unknown placeholder {db}: expected a topic name "
         "with {schema} and/or {table}, e.g. cdc.{schema}.{table} (flag --kafka-topic-template)"},
        {{{"KAFKA_COMPRESSION", "brotli"}}, "KAFKA_COMPRESSION=brotli is not accepted: expected "
                                            "one of none, gzip, snappy, lz4, zstd (flag "
                                            "--kafka-compression)"},
        {{{"SKIP_UNKNOWN_EVENTS", "2"}}, "SKIP_UNKNOWN_EVENTS=2 is not a boolean: expected "
                                         "true/false, 1/0, yes/no or on/off (flag "
                                         "--skip-unknown-events)"},
        {{{"LOG_LEVEL", "verbose"}}, "LOG_LEVEL=verbose is not accepted: expected one of trace, "
                                     "debug, info, warn, error (flag --log-level)"},
        {{{"LOG_FORMAT", "xml"}}, "LOG_FORMAT=xml is not accepted: expected one of text, json "
                                  "(flag --log-format)"},
        {{{"METRICS_PORT", "65536"}}, "METRICS_PORT=65536 is out of range: expected an integer "
                                      "from 0 to 65535 (flag --metrics-port)"},
        {{{"MYSQL_TABLE", "a,,b"}}, "MYSQL_TABLE=a,,b has an empty item: expected comma-separated "
                                    "table or schema.table names or patterns (flag "
                                    "--mysql-table)"},
    };
    for (const auto& [overrides, expected] : cases) {
        EnvMap env = minimal_env();
        for (const auto& [k, v] : overrides) env[k] = v;
        EXPECT_EQ(load_error(env), expected);
    }
}

TEST(ConfigLoader, IndependentProblemsAreReportedTogether) {
    EnvMap env = with(with(minimal_env(), "MYSQL_PORT", "x"), "LOG_LEVEL", "loud");
    std::string e = load_error(env);
    EXPECT_EQ(std::count(e.begin(), e.end(), '\n'), 1) << e;
    EXPECT_EQ(e.rfind("MYSQL_PORT=x ", 0), 0u) << e;
    EXPECT_NE(e.find("\nLOG_LEVEL=loud "), std::string::npos) << e;
}

}  // namespace
}  // namespace cdc::config
