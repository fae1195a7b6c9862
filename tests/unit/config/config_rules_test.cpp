// Rules that span settings: tables and their schema, the output sink, the server id, secrets.
#include <gtest/gtest.h>

#include "config/config_loader.h"
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
    return c.ok() ? "" : c.error().message;
}

TEST(ConfigTables, SeveralTablesUnqualifiedTakeTheSchema) {
    EnvMap env = with(minimal_env(), "MYSQL_TABLE", " orders , other.items,users ");
    env["MYSQL_DATABASE"] = "shop";
    Config c = load_ok(env);
    EXPECT_EQ(c.tables, (std::vector<model::TableId>{
                            {"shop", "orders"}, {"other", "items"}, {"shop", "users"}}));
    EXPECT_EQ(c.mysql_schema, "shop");
}

TEST(ConfigTables, DatabaseAndSchemaMayBothBeGivenIfEqual) {
    EnvMap env = with(with(minimal_env(), "MYSQL_DATABASE", "shop"), "MYSQL_SCHEMA", "shop");
    EXPECT_EQ(load_ok(with(env, "MYSQL_TABLE", "orders")).tables[0],
              (model::TableId{"shop", "orders"}));
    EXPECT_EQ(load_error(with(env, "MYSQL_SCHEMA", "store")),
              "MYSQL_DATABASE=shop and MYSQL_SCHEMA=store differ: both name the schema of "
              "unqualified tables; set one of them, or both to the same value");
}

TEST(ConfigTables, UnqualifiedTableWithoutSchemaIsAnError) {
    EXPECT_EQ(load_error(with(minimal_env(), "MYSQL_TABLE", "orders")),
              "MYSQL_TABLE item orders has no schema: write it as schema.table, or set "
              "MYSQL_SCHEMA (flag --mysql-schema) or MYSQL_DATABASE (flag --mysql-database)");
}

TEST(ConfigTables, BadItemsAreNamed) {
    EXPECT_EQ(load_error(with(minimal_env(), "MYSQL_TABLE", "a.b.c")),
              "MYSQL_TABLE=a.b.c item a.b.c has more than one dot: expected comma-separated table "
              "or schema.table names or patterns (flag --mysql-table)");
    EXPECT_NE(load_error(with(minimal_env(), "MYSQL_TABLE", "s.t,")).find("has an empty item"),
              std::string::npos);
    EXPECT_NE(load_error(with(minimal_env(), "MYSQL_TABLE", "s.")).find("empty table name"),
              std::string::npos);
    EnvMap dup = with(with(minimal_env(), "MYSQL_TABLE", "shop.orders, orders"), "MYSQL_SCHEMA",
                      "shop");
    EXPECT_NE(load_error(dup).find("names shop.orders twice"), std::string::npos);
}

TEST(ConfigOutput, SinkDefaultsToKafkaOnlyWithABroker) {
    EXPECT_EQ(load_ok(minimal_env()).output_sink, OutputSink::Stdout);
    EnvMap kafka = with(with(minimal_env(), "Quix__Broker__Address", "q:9092"), "output", "t");
    Config c = load_ok(kafka);
    EXPECT_EQ(c.output_sink, OutputSink::Kafka);
    EXPECT_EQ(c.kafka_brokers, "q:9092");
    EXPECT_EQ(load_ok(with(kafka, "KAFKA_BROKERS", "k:9092")).kafka_brokers, "k:9092");
    EXPECT_EQ(load_ok(with(kafka, "OUTPUT_SINK", "stdout")).output_sink, OutputSink::Stdout);
}

TEST(ConfigOutput, AnErrorInTheFallbackBrokerVariableNamesIt) {
    EXPECT_EQ(load_error(with(minimal_env(), "Quix__Broker__Address", ",")),
              "Quix__Broker__Address=, has an empty item: expected comma-separated host:port "
              "(flag --kafka-brokers)");
}

TEST(ConfigOutput, FileSinkNeedsAFile) {
    EnvMap env = with(minimal_env(), "OUTPUT_SINK", "file");
    EXPECT_EQ(load_error(env), "OUTPUT_FILE is required when OUTPUT_SINK=file (flag "
                               "--output-file): the file to append JSON lines to");
    Config c = load_ok(with(env, "OUTPUT_FILE", "/tmp/out.jsonl"));
    EXPECT_EQ(c.output_sink, OutputSink::File);
    EXPECT_EQ(c.output_file, "/tmp/out.jsonl");
    Config w = load_ok(with(minimal_env(), "OUTPUT_FILE", "/tmp/out.jsonl"));
    ASSERT_EQ(w.warnings.size(), 1u);
    EXPECT_EQ(w.warnings[0], "OUTPUT_FILE is set but OUTPUT_SINK is stdout: the file is not written");
}

TEST(ConfigOutput, KafkaSinkNeedsBrokersAndATopic) {
    EnvMap env = with(minimal_env(), "OUTPUT_SINK", "kafka");
    EXPECT_EQ(load_error(env),
              "OUTPUT_SINK=kafka needs KAFKA_BROKERS (flag --kafka-brokers) or "
              "Quix__Broker__Address: the bootstrap brokers, comma-separated host:port\n"
              "output (flag --output) is required for Kafka output: the topic to write changes "
              "to; or set KAFKA_TOPIC_TEMPLATE (flag --kafka-topic-template)");
    env["KAFKA_BROKERS"] = "k:9092";
    EXPECT_EQ(load_error(with(env, "output", "bad topic")),
              "output=bad topic is not a valid Kafka topic name: expected 1 to 249 characters of "
              "a-z A-Z 0-9 . _ - (flag --output)");
    Config c = load_ok(with(env, "KAFKA_TOPIC_TEMPLATE", "cdc.{schema}.{table}"));
    EXPECT_EQ(c.topic_for({"shop", "orders"}), "cdc.shop.orders");
    Config plain = load_ok(with(env, "output", "changes"));
    EXPECT_EQ(plain.topic_for({"shop", "orders"}), "changes");
}

TEST(ConfigServerId, DerivedIdIsStableInRangeAndDependsOnWhatIsWatched) {
    Config a = load_ok(minimal_env());
    Config again = load_ok(minimal_env());
    EXPECT_EQ(a.mysql_server_id, again.mysql_server_id);
    EXPECT_EQ(a.mysql_server_id, derive_server_id("db", 3306, "state", {{"shop", "orders"}}));
    Config other = load_ok(with(minimal_env(), "MYSQL_TABLE", "shop.items"));
    EXPECT_NE(a.mysql_server_id, other.mysql_server_id);
    // The order the tables are listed in does not change the id.
    EXPECT_EQ(derive_server_id("h", 1, "s", {{"a", "b"}, {"c", "d"}}),
              derive_server_id("h", 1, "s", {{"c", "d"}, {"a", "b"}}));
    for (std::uint16_t port = 1; port < 2000; ++port) {
        std::uint32_t id = derive_server_id("h", port, "s", {{"a", "b"}});
        ASSERT_GE(id, 1000000000u);
        ASSERT_LE(id, 1999999999u);
    }
    // A golden value: the id must not change between builds, or restarts would re-register.
    EXPECT_EQ(derive_server_id("db", 3306, "state", {{"shop", "orders"}}), 1270052263u);
}

TEST(ConfigSecrets, PasswordNeverAppearsInMessagesOrSummary) {
    const std::string password = "Sup3r-s3cret";
    EnvMap env = with(minimal_env(), "MYSQL_PASSWORD", password);
    Config c = load_ok(env);
    EXPECT_EQ(c.mysql_password.reveal(), password);
    std::string summary = c.redacted_summary();
    EXPECT_EQ(summary.find(password), std::string::npos);
    EXPECT_NE(summary.find("MYSQL_PASSWORD=<redacted>"), std::string::npos) << summary;
    EXPECT_NE(load_ok(minimal_env()).redacted_summary().find("MYSQL_PASSWORD=<none>"),
              std::string::npos);
    std::string e = load_error(with(env, "MYSQL_PORT", "x"));
    EXPECT_EQ(e.find(password), std::string::npos);
}

TEST(ConfigSummary, NamesEverySettingOnOneLine) {
    Config c = load_ok(with(minimal_env(), "Quix__State__Dir", "my state"));
    std::string summary = c.redacted_summary();
    EXPECT_EQ(summary.find('\n'), std::string::npos);
    for (const SettingSpec& s : all_settings()) {
        if (s.id == SettingId::MysqlDatabase) continue;  // shown once, as MYSQL_SCHEMA
        EXPECT_NE(summary.find(std::string(s.env) + "="), std::string::npos) << s.env;
    }
    EXPECT_NE(summary.find("Quix__State__Dir=\"my state\""), std::string::npos) << summary;
    EXPECT_NE(summary.find("MYSQL_TABLE=shop.orders "), std::string::npos) << summary;
}

}  // namespace
}  // namespace cdc::config
