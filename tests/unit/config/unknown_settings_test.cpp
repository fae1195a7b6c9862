#include "config/unknown_settings.h"

#include <gtest/gtest.h>

#include "config/config_loader.h"
#include "config/settings.h"
#include "test_env.h"

namespace cdc::config {
namespace {

using testing::minimal_env;
using testing::with;

TEST(ConfigUnknownSettings, DistanceCountsEditsAndTranspositionsIgnoringCase) {
    EXPECT_EQ(name_distance("MYSQL_TABLE", "MYSQL_TABLE"), 0u);
    EXPECT_EQ(name_distance("mysql_table", "MYSQL_TABLE"), 0u);
    EXPECT_EQ(name_distance("MYSQL_TABEL", "MYSQL_TABLE"), 1u);  // one transposition
    EXPECT_EQ(name_distance("KAFKA_BROKER", "KAFKA_BROKERS"), 1u);
    EXPECT_EQ(name_distance("MYSQL_HST", "MYSQL_HOST"), 1u);
    EXPECT_EQ(name_distance("MYSQL_HOSTT", "MYSQL_HOST"), 1u);
    EXPECT_EQ(name_distance("LOG_LEVL", "LOG_LEVEL"), 1u);
    EXPECT_EQ(name_distance("abc", ""), 3u);
    EXPECT_EQ(name_distance("", "abc"), 3u);
    EXPECT_EQ(name_distance("ca", "abc"), 3u);  // optimal string alignment, not unrestricted
}

TEST(ConfigUnknownSettings, ClosestSettingNamesTheRealOne) {
    EXPECT_EQ(closest_setting("MYSQL_TABEL"), "MYSQL_TABLE");
    EXPECT_EQ(closest_setting("KAFKA_BROKER"), "KAFKA_BROKERS");
    EXPECT_EQ(closest_setting("mysql_host"), "MYSQL_HOST");
    EXPECT_EQ(closest_setting("OUTPUT"), "output");  // the seed's topic variable is lower case
    EXPECT_EQ(closest_setting("quix__state__dir"), "Quix__State__Dir");
    EXPECT_EQ(closest_setting("QUIX__BROKER__ADDRESS"), "Quix__Broker__Address");
    EXPECT_EQ(closest_setting("KAFKA_TOPIC"), "output");
    EXPECT_EQ(closest_setting("KAFKA_BOOTSTRAP_SERVERS"), "KAFKA_BROKERS");
    EXPECT_EQ(closest_setting("MYSQL_PASS"), "MYSQL_PASSWORD");  // cut short
    EXPECT_EQ(closest_setting("MYSQL_TABLES"), "MYSQL_TABLE");
    EXPECT_EQ(closest_setting("MYSQL_SOMETHING_ELSE"), "");
}

TEST(ConfigUnknownSettings, WarnsOncePerLookAlikeNamingTheClosest) {
    EnvMap env = minimal_env();
    env["MYSQL_TABEL"] = "x";
    env["KAFKA_BROKER"] = "k:9092";
    env["OUTPUT"] = "topic";
    env["mysql_host"] = "db";
    auto w = unknown_setting_warnings(env, {});
    ASSERT_EQ(w.size(), 4u);
    EXPECT_EQ(w[0],
              "environment variable KAFKA_BROKER is not a setting of mysql-cdc: did you "
              "mean KAFKA_BROKERS?");
    EXPECT_EQ(w[1],
              "environment variable MYSQL_TABEL is not a setting of mysql-cdc: did you "
              "mean MYSQL_TABLE?");
    EXPECT_EQ(w[2],
              "environment variable OUTPUT is not a setting of mysql-cdc (names are "
              "case-sensitive): did you mean output?");
    EXPECT_EQ(w[3],
              "environment variable mysql_host is not a setting of mysql-cdc (names are "
              "case-sensitive): did you mean MYSQL_HOST?");
}

TEST(ConfigUnknownSettings, OurPrefixWithoutACloseSettingStillWarns) {
    auto w = unknown_setting_warnings({{"MYSQL_SOMETHING_ELSE", "1"}}, {});
    ASSERT_EQ(w.size(), 1u);
    EXPECT_EQ(w[0],
              "environment variable MYSQL_SOMETHING_ELSE is not a setting of mysql-cdc: it "
              "is ignored (the settings: docs/CONFIGURATION.md)");
}

// What a shell, a container or a systemd unit sets, and other programs' variables that begin
// like ours: none is ours, none is reported.
TEST(ConfigUnknownSettings, OrdinaryEnvironmentIsNotReported) {
    EnvMap env = minimal_env();
    for (const char* name : {"PATH",
                             "HOME",
                             "USER",
                             "LOGNAME",
                             "SHELL",
                             "TERM",
                             "LANG",
                             "LC_ALL",
                             "PWD",
                             "OLDPWD",
                             "HOSTNAME",
                             "SHLVL",
                             "TZ",
                             "_",
                             "MAIL",
                             "DISPLAY",
                             "INVOCATION_ID",
                             "JOURNAL_STREAM",
                             "SYSTEMD_EXEC_PID",
                             "NOTIFY_SOCKET",
                             "CREDENTIALS_DIRECTORY",
                             "STATE_DIRECTORY",
                             "RUNTIME_DIRECTORY",
                             "LOGS_DIRECTORY",
                             "HTTP_PROXY",
                             "NO_PROXY",
                             "FORCE_COLOR",
                             "SSL_CERT_FILE",
                             "KUBERNETES_SERVICE_HOST",
                             "KUBERNETES_PORT",
                             "DEBIAN_FRONTEND"}) {
        env[name] = "x";
    }
    for (std::string_view name : not_our_names()) env[std::string(name)] = "x";
    EXPECT_EQ(unknown_setting_warnings(env, {}), std::vector<std::string>{});
}

TEST(ConfigUnknownSettings, EveryUnknownDotenvKeyIsReported) {
    EnvMap env = minimal_env();
    env["MYSQL_PWD"] = "x";     // another program's, but the .env file is ours
    env["GREETING"] = "hello";  // looks like nothing of ours
    env["PATH"] = "/usr/bin";   // from the process: not reported
    auto w = unknown_setting_warnings(env, {"MYSQL_PWD", "GREETING", "MYSQL_HOST"});
    ASSERT_EQ(w.size(), 2u);
    EXPECT_EQ(w[0],
              ".env key GREETING is not a setting of mysql-cdc: it is ignored (the "
              "settings: docs/CONFIGURATION.md)");
    EXPECT_EQ(w[1],
              ".env key MYSQL_PWD is not a setting of mysql-cdc: it is ignored (the "
              "settings: docs/CONFIGURATION.md)");
}

// Every name of the table is known, including ones added later: nothing is a copy of it.
TEST(ConfigUnknownSettings, EverySettingNameIsKnown) {
    EnvMap env;
    for (const SettingSpec& spec : all_settings()) {
        env[std::string(spec.env)] = "x";
        if (!spec.alt_env.empty()) env[std::string(spec.alt_env)] = "x";
    }
    EXPECT_EQ(unknown_setting_warnings(env, {}), std::vector<std::string>{});
    NameSet all;
    for (const auto& entry : env) all.insert(entry.first);
    EXPECT_EQ(unknown_setting_warnings(env, all), std::vector<std::string>{});
}

TEST(ConfigUnknownSettings, LoadAddsTheWarningsOrKeepsThemWithTheError) {
    auto ok = load_config(with(minimal_env(), "MYSQL_TABEL", "shop.x"));
    ASSERT_TRUE(ok.ok()) << ok.error().message;
    ASSERT_EQ(ok->warnings.size(), 1u);
    EXPECT_NE(ok->warnings[0].find("did you mean MYSQL_TABLE?"), std::string::npos);

    EnvMap typo_only = minimal_env();
    typo_only.erase("MYSQL_TABLE");
    typo_only["MYSQL_TABEL"] = "shop.orders";
    auto failed = load_config(typo_only);
    ASSERT_FALSE(failed.ok());
    EXPECT_NE(failed.error().message.find("MYSQL_TABLE"), std::string::npos);
    EXPECT_NE(failed.error().message.find("\nenvironment variable MYSQL_TABEL is not a setting of "
                                          "mysql-cdc: did you mean MYSQL_TABLE?"),
              std::string::npos)
        << failed.error().message;
}

}  // namespace
}  // namespace cdc::config
