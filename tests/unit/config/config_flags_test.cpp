#include <gtest/gtest.h>

#include <CLI/CLI.hpp>

#include "config/config_loader.h"
#include "test_env.h"

namespace cdc::config {
namespace {

using testing::minimal_env;
using testing::with;

Result<Config> load_with_flags(const std::string& args, const EnvMap& env) {
    CLI::App app{"test"};
    ConfigLoader loader(app);
    app.parse(args);
    return loader.load(env);
}

TEST(ConfigFlags, FlagBeatsEnvBeatsDotenvBeatsDefault) {
    EnvMap dotenv{{"MYSQL_PORT", "1001"}, {"SNAPSHOT_BATCH_SIZE", "2002"},
                  {"FLUSH_INTERVAL_MS", "3003"}};
    EnvMap process = with(minimal_env(), "MYSQL_PORT", "1111");
    process["SNAPSHOT_BATCH_SIZE"] = "2222";
    EnvMap env = merge_environment(process, dotenv);

    Result<Config> c = load_with_flags("--mysql-port 1234", env);
    ASSERT_TRUE(c.ok()) << c.error().message;
    EXPECT_EQ(c->mysql_port, 1234);                     // flag
    EXPECT_EQ(c->snapshot_batch_size, 2222u);           // environment over .env
    EXPECT_EQ(c->flush_interval.count(), 3003);         // .env over default
    EXPECT_EQ(c->flush_max_changes, 10000u);            // default
}

TEST(ConfigFlags, EveryVariableHasAWorkingFlag) {
    Result<Config> c = load_with_flags(
        "--mysql-host=h --mysql-user u --mysql-password=pw --mysql-table t --mysql-schema s "
        "--mysql-snapshot-host r --mysql-server-id 7 --mysql-ssl-mode required "
        "--initial-snapshot --force-snapshot=false --state-dir /var/st --output-sink kafka "
        "--kafka-brokers b:9092 --output topic --kafka-compression gzip --log-format json "
        "--skip-unknown-events=yes --flush-max-bytes 1MiB",
        {});
    ASSERT_TRUE(c.ok()) << c.error().message;
    EXPECT_EQ(c->mysql_host, "h");
    EXPECT_EQ(c->mysql_user, "u");
    EXPECT_EQ(c->mysql_password.reveal(), "pw");
    EXPECT_EQ(c->tables, (std::vector<model::TableId>{{"s", "t"}}));
    EXPECT_EQ(c->snapshot_host, "r");
    EXPECT_EQ(c->mysql_server_id, 7u);
    EXPECT_EQ(c->ssl_mode, SslMode::Required);
    EXPECT_TRUE(c->initial_snapshot);
    EXPECT_FALSE(c->force_snapshot);
    EXPECT_EQ(c->state_dir, "/var/st");
    EXPECT_EQ(c->output_sink, OutputSink::Kafka);
    EXPECT_EQ(c->topic_for({"s", "t"}), "topic");
    EXPECT_EQ(c->kafka_compression, KafkaCompression::Gzip);
    EXPECT_EQ(c->log_format, LogFormat::Json);
    EXPECT_TRUE(c->skip_unknown_events);
    EXPECT_EQ(c->flush_max_bytes, 1u << 20);
}

TEST(ConfigFlags, BooleanFlagOverridesEnvironmentBothWays) {
    EnvMap env = with(minimal_env(), "INITIAL_SNAPSHOT", "true");
    Result<Config> off = load_with_flags("--initial-snapshot=off", env);
    ASSERT_TRUE(off.ok()) << off.error().message;
    EXPECT_FALSE(off->initial_snapshot);
    Result<Config> on = load_with_flags("--initial-snapshot", with(env, "INITIAL_SNAPSHOT", "0"));
    ASSERT_TRUE(on.ok()) << on.error().message;
    EXPECT_TRUE(on->initial_snapshot);
}

TEST(ConfigFlags, AnErrorFromAFlagNamesTheFlag) {
    Result<Config> c = load_with_flags("--snapshot-batch-size abc", minimal_env());
    ASSERT_FALSE(c.ok());
    EXPECT_EQ(c.error().message,
              "--snapshot-batch-size=abc is not a number: expected an integer from 1 to 1000000 "
              "(env SNAPSHOT_BATCH_SIZE)");
}

TEST(ConfigFlags, HelpListsEveryFlagWithEnvAndDefault) {
    CLI::App app{"test"};
    ConfigLoader loader(app);
    std::string help = app.help();
    for (const SettingSpec& s : all_settings()) {
        EXPECT_NE(help.find("--" + std::string(s.flag)), std::string::npos) << s.flag;
        EXPECT_NE(help.find("[env: " + std::string(s.env)), std::string::npos) << s.env;
        std::string def = default_display(s);
        if (!def.empty()) {
            EXPECT_NE(help.find("[default: " + def + "]"), std::string::npos) << s.env;
        }
    }
    EXPECT_NE(help.find("else Quix__Broker__Address"), std::string::npos);
    EXPECT_NE(help.find("MySQL connection"), std::string::npos) << "grouped by section";
}

TEST(ConfigFlags, SameFlagsCanBeRegisteredOnASubcommand) {
    CLI::App app{"test"};
    ConfigLoader top(app);
    CLI::App* check = app.add_subcommand("check", "server checks");
    ConfigLoader sub(*check);
    app.parse(std::string("check --mysql-host sub-host"));
    Result<Config> c = sub.load(minimal_env());
    ASSERT_TRUE(c.ok()) << c.error().message;
    EXPECT_EQ(c->mysql_host, "sub-host");
    Result<Config> t = top.load(minimal_env());
    ASSERT_TRUE(t.ok());
    EXPECT_EQ(t->mysql_host, "db");
}

}  // namespace
}  // namespace cdc::config
