// TableId: the one table identity (hash, order, SQL quoting, the persisted "schema.table" text).
#include "model/table_id.h"

#include <gtest/gtest.h>

#include <set>
#include <unordered_map>

namespace cdc::model {
namespace {

TEST(TableId, KeysUnorderedMapsBySchemaAndTable) {
    std::unordered_map<TableId, int> by_table;
    by_table[{"shop", "orders"}] = 1;
    by_table[{"orders", "shop"}] = 2;
    by_table[{"shop.orders", ""}] = 3;  // not the same table, though its text is close
    EXPECT_EQ(by_table.size(), 3u);
    EXPECT_EQ(by_table.at({"shop", "orders"}), 1);
    EXPECT_EQ(by_table.at({"orders", "shop"}), 2);
    EXPECT_EQ(std::hash<TableId>{}({"a", "b"}), std::hash<TableId>{}({"a", "b"}));
    EXPECT_NE(std::hash<TableId>{}({"a", "b"}), std::hash<TableId>{}({"b", "a"}));
}

TEST(TableId, OrdersBySchemaThenTable) {
    EXPECT_LT((TableId{"a", "z"}), (TableId{"b", "a"}));
    EXPECT_LT((TableId{"a", "a"}), (TableId{"a", "b"}));
    EXPECT_EQ((TableId{"a", "b"}), (TableId{"a", "b"}));
    std::set<TableId> sorted{{"b", "a"}, {"a", "b"}, {"a", "a"}};
    EXPECT_EQ(*sorted.begin(), (TableId{"a", "a"}));
}

TEST(TableId, QualifiedIsTheLogText) {
    EXPECT_EQ((TableId{"shop", "orders"}).qualified(), "shop.orders");
}

TEST(TableId, QuotedDoublesBackticks) {
    EXPECT_EQ((TableId{"shop", "orders"}).quoted(), "`shop`.`orders`");
    EXPECT_EQ((TableId{"we`ird", "t`"}).quoted(), "`we``ird`.`t```");
    EXPECT_EQ(quote_identifier("orders"), "`orders`");
    EXPECT_EQ(quote_identifier("we`ird"), "`we``ird`");
    EXPECT_EQ(quote_identifier("a b.c"), "`a b.c`");
    EXPECT_EQ(quote_identifier(""), "``");
}

TEST(TableId, PersistedTextReadsBackAsTheSameTable) {
    for (const TableId& id : {TableId{"shop", "orders"}, TableId{"my.db", "t"},
                              TableId{"a.b.c", "t"}, TableId{"sch ema", "tä"}}) {
        EXPECT_EQ(TableId::from_qualified(id.qualified()), id) << id.qualified();
    }
    // A dot in a table name is the ambiguous case: no configured table has one.
    EXPECT_EQ(TableId::from_qualified("d.x.y"), (TableId{"d.x", "y"}));
    EXPECT_EQ(TableId::from_qualified("nodot"), (TableId{"", "nodot"}));
}

TEST(TableId, FileNameEscapingKeepsOrdinaryNames) {
    EXPECT_EQ(escape_file_name("orders"), "orders");
    EXPECT_EQ(escape_file_name("unicodé"), "unicodé");
    EXPECT_EQ(escape_file_name("a/../b%\x01\x7f"), "a%2F..%2Fb%25%01%7F");
    std::string back;
    ASSERT_TRUE(unescape_file_name(escape_file_name("a/../b%\x01\x7f"), back));
    EXPECT_EQ(back, "a/../b%\x01\x7f");
    EXPECT_FALSE(unescape_file_name("bad%2", back));
    EXPECT_FALSE(unescape_file_name("bad%zz", back));
}

}  // namespace
}  // namespace cdc::model
