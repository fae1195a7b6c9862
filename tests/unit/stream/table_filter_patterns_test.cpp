// TableFilter with MYSQL_TABLE patterns: a selected table joins once, with the position of its
// first rows event; other tables are decided once; CREATE/RENAME tell created from renamed-in.
#include <gtest/gtest.h>

#include "stream/change_extractor.h"
#include "stream/table_ddl.h"

namespace cdc::stream {
namespace {

model::TablePattern pattern(std::string_view item) {
    return std::get<model::TablePattern>(model::parse_table_pattern(item));
}

TableFilter filter_with(std::vector<std::string_view> include,
                        std::vector<std::string_view> exclude = {}) {
    auto s = std::make_shared<model::TableSelection>();
    for (auto i : include) s->include.push_back(pattern(i));
    for (auto e : exclude) s->exclude.push_back(pattern(e));
    TableFilter f;
    f.add({"shop", "customers"});
    f.set_patterns(s);
    f.set_starts({}, "bin.000003");
    return f;
}

TEST(TableFilterPatterns, ASelectedTableJoinsOnceAtItsFirstRowsEvent) {
    TableFilter f = filter_with({"shop.order\\_%"}, {"shop.order\\_tmp%"});
    EXPECT_FALSE(f.empty());
    f.at_offset(400);
    EXPECT_TRUE(f.matches_or_joins({"shop", "customers"}));
    EXPECT_FALSE(f.has_joined());
    EXPECT_FALSE(f.matches({"shop", "order_1"}));
    EXPECT_TRUE(f.matches_or_joins({"shop", "order_1"}));
    ASSERT_TRUE(f.has_joined());
    auto joined = f.take_joined();
    ASSERT_EQ(joined.size(), 1u);
    EXPECT_EQ(joined[0].table, (model::TableId{"shop", "order_1"}));
    EXPECT_EQ(joined[0].pattern, "shop.order\\_%");
    EXPECT_EQ(joined[0].from, (model::BinlogPosition{"bin.000003", 400}));
    EXPECT_FALSE(joined[0].created_while_streaming);
    EXPECT_FALSE(f.has_joined());
    // From now on an exact member: no second join.
    EXPECT_TRUE(f.matches({"shop", "order_1"}));
    EXPECT_TRUE(f.matches_or_joins({"shop", "order_1"}));
    EXPECT_FALSE(f.has_joined());
}

TEST(TableFilterPatterns, ExcludedAndUnmatchedTablesNeverJoin) {
    TableFilter f = filter_with({"shop.order\\_%", "/crm\\..*/"}, {"shop.order\\_tmp%"});
    EXPECT_FALSE(f.matches_or_joins({"shop", "order_tmp1"}));
    EXPECT_FALSE(f.matches_or_joins({"shop", "orderX"}));
    EXPECT_FALSE(f.matches_or_joins({"other", "order_1"}));
    EXPECT_FALSE(f.matches_or_joins({"shop", "order_tmp1"}));  // decided once, same answer
    EXPECT_FALSE(f.has_joined());
    EXPECT_TRUE(f.matches_or_joins({"crm", "contacts"}));
    EXPECT_EQ(f.take_joined().at(0).pattern, "/crm\\..*/");
}

TEST(TableFilterPatterns, WithoutPatternsNothingJoins) {
    TableFilter f;
    f.add({"shop", "customers"});
    f.set_patterns(std::make_shared<model::TableSelection>());  // no include pattern
    EXPECT_FALSE(f.has_patterns());
    EXPECT_FALSE(f.matches_or_joins({"shop", "order_1"}));
    // Patterns alone (matching nothing yet) do not make the filter "every table".
    TableFilter only_patterns;
    auto s = std::make_shared<model::TableSelection>();
    s->include.push_back(pattern("shop.order\\_%"));
    only_patterns.set_patterns(s);
    EXPECT_FALSE(only_patterns.empty());
    EXPECT_FALSE(only_patterns.matches({"shop", "customers"}));
}

TEST(TableFilterPatterns, CreatedOrRenamedFromAWatchedTableCountsAsCreated) {
    TableFilter f = filter_with({"shop.order\\_%"});
    f.on_table_ddl(read_table_ddl("CREATE TABLE order_2 (id INT)", "shop"));
    f.on_table_ddl(read_table_ddl("RENAME TABLE shop.customers TO shop.order_3", ""));
    f.on_table_ddl(read_table_ddl("RENAME TABLE shop.staging TO shop.order_4", ""));
    for (const char* t : {"order_2", "order_3", "order_4"}) {
        EXPECT_TRUE(f.matches_or_joins({"shop", t}));
    }
    auto joined = f.take_joined();
    ASSERT_EQ(joined.size(), 3u);
    EXPECT_TRUE(joined[0].created_while_streaming);
    EXPECT_TRUE(joined[1].created_while_streaming);
    EXPECT_FALSE(joined[2].created_while_streaming);  // renamed in from an unwatched table
}

TEST(TableDdl, CreateForms) {
    using model::TableId;
    EXPECT_EQ(read_table_ddl("CREATE TABLE t (a INT)", "d").created,
              (std::vector<TableId>{{"d", "t"}}));
    EXPECT_EQ(read_table_ddl("create table if not exists `s`.`t``x` (a int)", "d").created,
              (std::vector<TableId>{{"s", "t`x"}}));
    EXPECT_EQ(read_table_ddl("CREATE OR REPLACE TABLE s.t SELECT 1", "").created,
              (std::vector<TableId>{{"s", "t"}}));
    EXPECT_EQ(read_table_ddl("/* c */ CREATE TABLE s.t LIKE s.u", "").created,
              (std::vector<TableId>{{"s", "t"}}));
    EXPECT_TRUE(read_table_ddl("CREATE TEMPORARY TABLE t (a INT)", "d").created.empty());
    EXPECT_TRUE(read_table_ddl("CREATE INDEX i ON t (a)", "d").created.empty());
    EXPECT_TRUE(read_table_ddl("BEGIN", "d").created.empty());
}

TEST(TableDdl, RenameForms) {
    TableDdl ddl = read_table_ddl("RENAME TABLE a TO s.b, `s`.c TO d", "x");
    ASSERT_EQ(ddl.renamed.size(), 2u);
    EXPECT_EQ(ddl.renamed[0].first, (model::TableId{"x", "a"}));
    EXPECT_EQ(ddl.renamed[0].second, (model::TableId{"s", "b"}));
    EXPECT_EQ(ddl.renamed[1].first, (model::TableId{"s", "c"}));
    EXPECT_EQ(ddl.renamed[1].second, (model::TableId{"x", "d"}));
    EXPECT_EQ(read_table_ddl("RENAME TABLE IF EXISTS a TO b", "x").renamed.size(), 1u);
}

}  // namespace
}  // namespace cdc::stream
