// MYSQL_TABLE patterns and MYSQL_TABLE_EXCLUDE in the configuration: exact names stay in
// `tables`, patterns go to `table_patterns`, bare items take MYSQL_SCHEMA, exclusions win.
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

TEST(ConfigTablePatterns, PatternsApartFromExactNames) {
    Config c = load_ok(with(minimal_env(), "MYSQL_TABLE",
                            "shop.orders, shop.order\\_%, /crm\\.contact_[0-9]+/, shop.*"));
    EXPECT_EQ(c.tables, (std::vector<model::TableId>{{"shop", "orders"}}));
    ASSERT_EQ(c.table_patterns.include.size(), 3u);
    EXPECT_EQ(c.table_patterns.include[0].text, "shop.order\\_%");
    EXPECT_TRUE(c.table_patterns.include[1].matches({"crm", "contact_7"}));
    EXPECT_TRUE(c.table_patterns.include[2].matches({"shop", "x"}));
}

TEST(ConfigTablePatterns, BareItemsTakeTheSchema) {
    EnvMap env = with(minimal_env(), "MYSQL_TABLE", "order_%,users");
    env["MYSQL_SCHEMA"] = "shop";
    env["MYSQL_TABLE_EXCLUDE"] = "order_tmp%";
    Config c = load_ok(env);
    EXPECT_EQ(c.tables, (std::vector<model::TableId>{{"shop", "users"}}));
    ASSERT_EQ(c.table_patterns.include.size(), 1u);
    EXPECT_TRUE(c.table_patterns.include[0].matches({"shop", "order_1"}));
    EXPECT_FALSE(c.table_patterns.include[0].matches({"other", "order_1"}));
    EXPECT_TRUE(c.table_patterns.excluded({"shop", "order_tmp1"}));
    EXPECT_FALSE(c.table_patterns.excluded({"other", "order_tmp1"}));
}

TEST(ConfigTablePatterns, BarePatternsWithoutASchemaAreRefused) {
    EXPECT_EQ(load_error(with(minimal_env(), "MYSQL_TABLE", "order_%")),
              "MYSQL_TABLE item order_% has no schema: write it as schema.table, or set "
              "MYSQL_SCHEMA (flag --mysql-schema) or MYSQL_DATABASE (flag --mysql-database)");
    EXPECT_NE(load_error(with(minimal_env(), "MYSQL_TABLE_EXCLUDE", "tmp"))
                  .find("MYSQL_TABLE_EXCLUDE item tmp has no schema"),
              std::string::npos);
}

TEST(ConfigTablePatterns, AnExcludedExactNameIsDroppedWithAWarning) {
    EnvMap env = with(minimal_env(), "MYSQL_TABLE", "shop.orders,shop.audit");
    env["MYSQL_TABLE_EXCLUDE"] = "shop.audit";
    Config c = load_ok(env);
    EXPECT_EQ(c.tables, (std::vector<model::TableId>{{"shop", "orders"}}));
    ASSERT_EQ(c.warnings.size(), 1u);
    EXPECT_EQ(c.warnings[0],
              "MYSQL_TABLE names shop.audit and MYSQL_TABLE_EXCLUDE excludes it: it is not "
              "captured");
    EXPECT_EQ(load_error(with(env, "MYSQL_TABLE", "shop.audit")),
              "MYSQL_TABLE_EXCLUDE excludes every table MYSQL_TABLE names: nothing to capture");
}

TEST(ConfigTablePatterns, BadPatternsNameTheItem) {
    std::string e = load_error(with(minimal_env(), "MYSQL_TABLE", "shop.orders,/a(/"));
    EXPECT_NE(e.find("item /a(/ is not a valid regular expression"), std::string::npos) << e;
    e = load_error(with(minimal_env(), "MYSQL_TABLE_EXCLUDE", "/x"));
    EXPECT_NE(e.find("MYSQL_TABLE_EXCLUDE"), std::string::npos) << e;
    EXPECT_NE(e.find("item /x starts a regular expression"), std::string::npos) << e;
}

TEST(ConfigTablePatterns, TheServerIdFollowsThePatternsAsWritten) {
    Config a = load_ok(with(minimal_env(), "MYSQL_TABLE", "shop.order_%"));
    Config b = load_ok(with(minimal_env(), "MYSQL_TABLE", "shop.order_%"));
    Config c = load_ok(with(minimal_env(), "MYSQL_TABLE", "shop.item_%"));
    EXPECT_EQ(a.mysql_server_id, b.mysql_server_id);
    EXPECT_NE(a.mysql_server_id, c.mysql_server_id);
}

}  // namespace
}  // namespace cdc::config
