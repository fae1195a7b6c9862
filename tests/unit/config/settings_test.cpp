#include "config/settings.h"

#include <gtest/gtest.h>

#include <cctype>
#include <set>
#include <string>

#include "config/config.h"
#include "config/config_loader.h"
#include "config/value_parsers.h"
#include "test_env.h"

namespace cdc::config {
namespace {

TEST(ConfigSettings, TableIsIndexedById) {
    ASSERT_EQ(all_settings().size(), kSettingCount);
    for (std::size_t i = 0; i < kSettingCount; ++i) {
        EXPECT_EQ(static_cast<std::size_t>(all_settings()[i].id), i) << all_settings()[i].env;
    }
}

TEST(ConfigSettings, SeedVariablesKeepTheirExactNames) {
    std::set<std::string> names;
    for (const SettingSpec& s : all_settings()) names.emplace(s.env);
    for (const char* seed : {"MYSQL_HOST", "MYSQL_PORT", "MYSQL_USER", "MYSQL_PASSWORD",
                             "MYSQL_DATABASE", "MYSQL_SCHEMA", "MYSQL_TABLE", "MYSQL_SNAPSHOT_HOST",
                             "INITIAL_SNAPSHOT", "SNAPSHOT_BATCH_SIZE", "FORCE_SNAPSHOT",
                             "Quix__State__Dir", "output"}) {
        EXPECT_TRUE(names.count(seed)) << seed;
    }
}

// Flags are the kebab-case of the env name, except where the seed's name is platform-specific.
TEST(ConfigSettings, FlagsAreKebabCaseOfTheEnvName) {
    std::set<std::string> flags;
    std::set<std::string> envs;
    for (const SettingSpec& s : all_settings()) {
        EXPECT_TRUE(flags.emplace(s.flag).second) << "duplicate flag " << s.flag;
        EXPECT_TRUE(envs.emplace(s.env).second) << "duplicate env " << s.env;
        if (s.env == "Quix__State__Dir") {
            EXPECT_EQ(s.flag, "state-dir");
            continue;
        }
        std::string kebab;
        for (char c : s.env) kebab += c == '_' ? '-' : static_cast<char>(std::tolower(c));
        EXPECT_EQ(s.flag, kebab);
    }
}

TEST(ConfigSettings, EveryRowIsComplete) {
    for (const SettingSpec& s : all_settings()) {
        EXPECT_FALSE(s.description.empty()) << s.env;
        EXPECT_FALSE(s.group.empty()) << s.env;
        EXPECT_FALSE(accepted_values(s).empty()) << s.env;
        if (s.type == SettingType::Choice) {
            EXPECT_FALSE(s.choices.empty()) << s.env;
        }
        if (s.type == SettingType::Integer || s.type == SettingType::Size) {
            EXPECT_LT(s.min, s.max) << s.env;
        }
        if (s.default_kind == DefaultKind::Literal) {
            EXPECT_FALSE(s.default_text.empty()) << s.env;
        }
    }
}

// Literal defaults go through the same parsers as user input; all of them must be accepted.
TEST(ConfigSettings, LiteralDefaultsAreValidValues) {
    for (const SettingSpec& s : all_settings()) {
        if (s.default_kind != DefaultKind::Literal) continue;
        EnvMap env = testing::with(testing::minimal_env(), std::string(s.env),
                                   std::string(s.default_text));
        Result<Config> c = load_config(env);
        EXPECT_TRUE(c.ok()) << s.env << ": " << (c.ok() ? "" : c.error().message);
    }
}

template <class E>
void expect_choices_match(SettingId id, std::initializer_list<E> values) {
    const SettingSpec& s = setting(id);
    std::size_t i = 0;
    for (E v : values) {
        EXPECT_EQ(parse_choice(to_string(v), s.choices), i) << s.env << " " << to_string(v);
        EXPECT_EQ(static_cast<std::size_t>(v), i);
        ++i;
    }
    EXPECT_EQ(parse_choice("", s.choices), std::nullopt);
}

// The names are the settings' choices; these are also what logs and librdkafka see.
TEST(ConfigSettings, EnumNames) {
    EXPECT_EQ(to_string(OutputSink::Kafka), "kafka");
    EXPECT_EQ(to_string(SslMode::VerifyIdentity), "verify_identity");
    EXPECT_EQ(to_string(KafkaCompression::None), "none");
    EXPECT_EQ(to_string(KafkaCompression::Lz4), "lz4");
    EXPECT_EQ(to_string(LogLevel::Error), "error");
    EXPECT_EQ(to_string(LogFormat::Json), "json");
    EXPECT_EQ(to_string(EventPolicy::Warn), "warn");
}

TEST(ConfigSettings, ChoicesFollowTheEnumOrder) {
    expect_choices_match(SettingId::OutputSink,
                         {OutputSink::Stdout, OutputSink::File, OutputSink::Kafka});
    expect_choices_match(SettingId::MysqlSslMode,
                         {SslMode::Disabled, SslMode::Preferred, SslMode::Required,
                          SslMode::VerifyCa, SslMode::VerifyIdentity});
    expect_choices_match(SettingId::KafkaCompression,
                         {KafkaCompression::None, KafkaCompression::Gzip, KafkaCompression::Snappy,
                          KafkaCompression::Lz4, KafkaCompression::Zstd});
    expect_choices_match(SettingId::LogLevel, {LogLevel::Trace, LogLevel::Debug, LogLevel::Info,
                                               LogLevel::Warn, LogLevel::Error});
    expect_choices_match(SettingId::LogFormat, {LogFormat::Text, LogFormat::Json});
}

TEST(ConfigSettings, AcceptedValuesReadWell) {
    EXPECT_EQ(accepted_values(setting(SettingId::SnapshotBatchSize)),
              "an integer from 1 to 1000000");
    EXPECT_EQ(accepted_values(setting(SettingId::OutputSink)), "one of stdout, file, kafka");
    EXPECT_EQ(accepted_values(setting(SettingId::FlushMaxBytes)),
              "a size in bytes from 1KiB to 1GiB (suffixes KiB, MiB, GiB)");
}

}  // namespace
}  // namespace cdc::config
