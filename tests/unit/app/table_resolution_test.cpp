// Resolving MYSQL_TABLE patterns against a list of the server's tables.
#include "app/table_resolution.h"

#include <gtest/gtest.h>

#include "config/config_loader.h"

namespace cdc::app {
namespace {

config::Config load(const std::string& tables, const std::string& exclude = "") {
    config::EnvMap env{{"MYSQL_HOST", "db"},
                       {"MYSQL_USER", "u"},
                       {"MYSQL_TABLE", tables},
                       {"MYSQL_SCHEMA", "shop"}};
    if (!exclude.empty()) env["MYSQL_TABLE_EXCLUDE"] = exclude;
    auto c = config::load_config(env);
    EXPECT_TRUE(c.ok()) << c.error().message;
    return c.ok() ? *c : config::Config{};
}

const std::vector<model::TableId> kServer = {{"crm", "contact_1"}, {"shop", "customers"},
                                             {"shop", "order_a"},  {"shop", "order_b"},
                                             {"shop", "order_x"},  {"shop", "orders"}};

TEST(TableResolution, ExactNamesFirstThenEachPatternsMatches) {
    TableResolution r = resolve_tables(load("customers,order\\_%,/crm\\..*/", "order_x"), kServer);
    EXPECT_EQ(r.tables, (std::vector<model::TableId>{{"shop", "customers"},
                                                     {"shop", "order_a"},
                                                     {"shop", "order_b"},
                                                     {"crm", "contact_1"}}));
    ASSERT_EQ(r.patterns.size(), 2u);
    EXPECT_EQ(r.patterns[0].pattern, "order\\_%");  // as written
    EXPECT_EQ(r.patterns[0].excluded, (std::vector<model::TableId>{{"shop", "order_x"}}));
    EXPECT_TRUE(r.warnings.empty());
}

TEST(TableResolution, NoDuplicatesAcrossNamesAndPatterns) {
    TableResolution r = resolve_tables(load("order_a,shop.*"), kServer);
    EXPECT_EQ(r.tables.front(), (model::TableId{"shop", "order_a"}));
    EXPECT_EQ(r.tables.size(), 5u);
    EXPECT_EQ(std::count(r.tables.begin(), r.tables.end(), model::TableId{"shop", "order_a"}), 1);
}

TEST(TableResolution, APatternMatchingNothingIsAWarning) {
    TableResolution r = resolve_tables(load("orders,audit_%"), kServer);
    EXPECT_EQ(r.tables, (std::vector<model::TableId>{{"shop", "orders"}}));
    ASSERT_EQ(r.warnings.size(), 1u);
    EXPECT_NE(r.warnings[0].find("MYSQL_TABLE pattern audit_% matches no table"),
              std::string::npos);
}

TEST(TableResolution, NamesAreCaseSensitive) {
    TableResolution r = resolve_tables(load("Order%"), kServer);
    EXPECT_TRUE(r.tables.empty());
    EXPECT_EQ(r.warnings.size(), 1u);
}

}  // namespace
}  // namespace cdc::app
