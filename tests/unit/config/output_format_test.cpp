// OUTPUT_FORMAT, the DEBEZIUM_* settings, KAFKA_MESSAGE_KEY and KAFKA_TOMBSTONES (issue 15):
// defaults, values, and the combinations refused or warned about.
#include <gtest/gtest.h>

#include "config/config_loader.h"
#include "test_env.h"

namespace cdc::config {
namespace {

using testing::minimal_env;
using testing::with;

EnvMap kafka_env() {
    return with(with(minimal_env(), "KAFKA_BROKERS", "kafka:9092"), "output", "changes");
}

bool has_warning(const Config& c, const std::string& text) {
    for (const std::string& w : c.warnings) {
        if (w.find(text) != std::string::npos) return true;
    }
    return false;
}

TEST(OutputFormat, DefaultsAreTheSeedFormatAndTheTableQualifiedKey) {
    Result<Config> c = load_config(kafka_env());
    ASSERT_TRUE(c.ok()) << c.error().message;
    EXPECT_EQ(c->output_format, OutputFormat::Seed);
    EXPECT_EQ(c->kafka_message_key, MessageKey::PrimaryKey);
    EXPECT_FALSE(c->kafka_tombstones);
    EXPECT_EQ(c->debezium_server_name, "mysql-cdc");
    EXPECT_FALSE(c->debezium_schemas);
    EXPECT_EQ(c->debezium_decimal, DecimalHandling::Precise);
    EXPECT_FALSE(c->debezium_transaction_metadata);
    EXPECT_TRUE(c->warnings.empty());
    EXPECT_NE(c->redacted_summary().find("OUTPUT_FORMAT=seed"), std::string::npos);
    EXPECT_NE(c->redacted_summary().find("KAFKA_MESSAGE_KEY=primary_key"), std::string::npos);
}

TEST(OutputFormat, DebeziumWithItsOptions) {
    EnvMap env = with(kafka_env(), "OUTPUT_FORMAT", "debezium");
    env = with(env, "DEBEZIUM_SERVER_NAME", "dbserver1");
    env = with(env, "DEBEZIUM_SCHEMAS", "true");
    env = with(env, "DEBEZIUM_DECIMAL_HANDLING", "string");
    env = with(env, "DEBEZIUM_TRANSACTION_METADATA", "yes");
    Result<Config> c = load_config(env);
    ASSERT_TRUE(c.ok()) << c.error().message;
    EXPECT_EQ(c->output_format, OutputFormat::Debezium);
    EXPECT_EQ(c->debezium_server_name, "dbserver1");
    EXPECT_TRUE(c->debezium_schemas);
    EXPECT_EQ(c->debezium_decimal, DecimalHandling::String);
    EXPECT_TRUE(c->debezium_transaction_metadata);
    EXPECT_NE(c->redacted_summary().find("DEBEZIUM_SERVER_NAME=dbserver1"), std::string::npos);
}

TEST(OutputFormat, UnknownFormatIsRefused) {
    Result<Config> c = load_config(with(kafka_env(), "OUTPUT_FORMAT", "avro"));
    ASSERT_FALSE(c.ok());
    EXPECT_NE(c.error().message.find("seed, debezium"), std::string::npos) << c.error().message;
}

TEST(OutputFormat, DebeziumSettingWithTheSeedFormatIsAnError) {
    for (auto [name, value] :
         {std::pair{"DEBEZIUM_SCHEMAS", "true"}, std::pair{"DEBEZIUM_SERVER_NAME", "x"},
          std::pair{"DEBEZIUM_DECIMAL_HANDLING", "double"},
          std::pair{"DEBEZIUM_TRANSACTION_METADATA", "on"}}) {
        Result<Config> c = load_config(with(kafka_env(), name, value));
        ASSERT_FALSE(c.ok()) << name;
        const std::string& m = c.error().message;
        EXPECT_EQ(m.find('\n'), std::string::npos) << m;  // one line
        EXPECT_NE(m.find(name), std::string::npos) << m;
        EXPECT_NE(m.find("OUTPUT_FORMAT=debezium"), std::string::npos) << m;
    }
}

TEST(OutputFormat, DebeziumSettingAtItsDefaultIsAcceptedWithTheSeedFormat) {
    // Written out at the default value it changes nothing, whatever the spelling.
    Result<Config> c = load_config(
        with(with(kafka_env(), "DEBEZIUM_SCHEMAS", "no"), "DEBEZIUM_DECIMAL_HANDLING", "precise"));
    ASSERT_TRUE(c.ok()) << c.error().message;
}

TEST(MessageKey, Values) {
    for (auto [text, key] : {std::pair{"primary_key", MessageKey::PrimaryKey},
                             std::pair{"bare_primary_key", MessageKey::BarePrimaryKey},
                             std::pair{"TABLE", MessageKey::Table}}) {
        Result<Config> c = load_config(with(kafka_env(), "KAFKA_MESSAGE_KEY", text));
        ASSERT_TRUE(c.ok()) << c.error().message;
        EXPECT_EQ(c->kafka_message_key, key) << text;
    }
    Result<Config> bad = load_config(with(kafka_env(), "KAFKA_MESSAGE_KEY", "row"));
    ASSERT_FALSE(bad.ok());
    EXPECT_NE(bad.error().message.find("primary_key, bare_primary_key, table"), std::string::npos)
        << bad.error().message;
}

TEST(MessageKey, TombstonesWithTableKeysAreRefused) {
    Result<Config> c = load_config(
        with(with(kafka_env(), "KAFKA_MESSAGE_KEY", "table"), "KAFKA_TOMBSTONES", "true"));
    ASSERT_FALSE(c.ok());
    EXPECT_NE(c.error().message.find("KAFKA_TOMBSTONES"), std::string::npos);
    EXPECT_NE(c.error().message.find("KAFKA_MESSAGE_KEY=table"), std::string::npos);
    Result<Config> ok = load_config(with(kafka_env(), "KAFKA_TOMBSTONES", "true"));
    ASSERT_TRUE(ok.ok()) << ok.error().message;
    EXPECT_TRUE(ok->kafka_tombstones);
}

TEST(MessageKey, KafkaSettingsWithAnotherSinkAreWarnedAbout) {
    EnvMap env = with(with(minimal_env(), "KAFKA_TOMBSTONES", "true"), "KAFKA_MESSAGE_KEY",
                      "bare_primary_key");
    Result<Config> c = load_config(env);
    ASSERT_TRUE(c.ok()) << c.error().message;
    EXPECT_TRUE(has_warning(*c, "KAFKA_TOMBSTONES is set but OUTPUT_SINK is stdout"));
    EXPECT_TRUE(has_warning(*c, "KAFKA_MESSAGE_KEY is set but OUTPUT_SINK is stdout"));
}

TEST(MessageKey, TopicsAreSharedUnlessTheTemplateNamesSchemaAndTable) {
    auto shared = [](const std::string& tmpl) {
        EnvMap env = with(minimal_env(), "KAFKA_BROKERS", "kafka:9092");
        env =
            tmpl.empty() ? with(env, "output", "changes") : with(env, "KAFKA_TOPIC_TEMPLATE", tmpl);
        Result<Config> c = load_config(env);
        EXPECT_TRUE(c.ok()) << c.error().message;
        return c->topics_shared();
    };
    EXPECT_TRUE(shared(""));
    EXPECT_TRUE(shared("cdc.{table}"));
    EXPECT_TRUE(shared("cdc.{schema}"));
    EXPECT_FALSE(shared("cdc.{schema}.{table}"));
}

}  // namespace
}  // namespace cdc::config
