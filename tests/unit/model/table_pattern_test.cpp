// MYSQL_TABLE's pattern syntax and matching: LIKE with escapes, `*`, regular expressions, and
// the exclude list winning.
#include "model/table_pattern.h"

#include <gtest/gtest.h>

namespace cdc::model {
namespace {

TablePattern parsed(std::string_view item) {
    auto p = parse_table_pattern(item);
    EXPECT_TRUE(std::holds_alternative<TablePattern>(p))
        << item << ": " << (std::holds_alternative<std::string>(p) ? std::get<std::string>(p) : "");
    return std::holds_alternative<TablePattern>(p) ? std::get<TablePattern>(p) : TablePattern{};
}

std::string problem(std::string_view item) {
    auto p = parse_table_pattern(item);
    EXPECT_TRUE(std::holds_alternative<std::string>(p)) << item;
    return std::holds_alternative<std::string>(p) ? std::get<std::string>(p) : "";
}

TEST(LikeMatches, PercentAndUnderscore) {
    EXPECT_TRUE(like_matches("order_%", "order_1"));
    EXPECT_TRUE(like_matches("order_%", "orderX"));  // _ is any one character
    EXPECT_FALSE(like_matches("order_%", "order"));
    EXPECT_TRUE(like_matches("%", ""));
    EXPECT_TRUE(like_matches("%_items", "order_items"));
    EXPECT_FALSE(like_matches("%_items", "_item"));
    EXPECT_TRUE(like_matches("a%b%c", "axxbyyc"));
    EXPECT_FALSE(like_matches("a%b%c", "axxbyy"));
    EXPECT_TRUE(like_matches("%%x", "yx"));
}

TEST(LikeMatches, BackslashEscapesTheNextCharacter) {
    EXPECT_TRUE(like_matches("order\\_%", "order_1"));
    EXPECT_FALSE(like_matches("order\\_%", "orderX1"));
    EXPECT_TRUE(like_matches("100\\%", "100%"));
    EXPECT_FALSE(like_matches("100\\%", "1000"));
    EXPECT_TRUE(like_matches("a\\\\b", "a\\b"));
}

TEST(LikeMatches, IsCaseSensitive) {
    EXPECT_FALSE(like_matches("Order%", "order_1"));
    EXPECT_TRUE(like_matches("Order%", "Order_1"));
}

TEST(TablePatternParse, NamesWithoutPercentAreExact) {
    TablePattern p = parsed("shop.order_items");
    EXPECT_EQ(p.kind, TablePattern::Kind::Exact);
    EXPECT_TRUE(p.matches({"shop", "order_items"}));
    EXPECT_FALSE(p.matches({"shop", "orderXitems"}));  // `_` is literal without a %
    EXPECT_EQ(parsed("orders").schema, "");
}

TEST(TablePatternParse, StarIsAWholeSchema) {
    TablePattern p = parsed("shop.*");
    EXPECT_EQ(p.kind, TablePattern::Kind::Like);
    EXPECT_TRUE(p.matches({"shop", "anything"}));
    EXPECT_FALSE(p.matches({"shop2", "anything"}));
    EXPECT_FALSE(p.matches({"Shop", "anything"}));
}

TEST(TablePatternParse, LikeOnEachPartWithAPercent) {
    TablePattern p = parsed("shop.order\\_%");
    EXPECT_EQ(p.kind, TablePattern::Kind::Like);
    EXPECT_FALSE(p.schema_like);
    EXPECT_TRUE(p.table_like);
    EXPECT_TRUE(p.matches({"shop", "order_2024"}));
    EXPECT_FALSE(p.matches({"shop", "orderX2024"}));
    TablePattern s = parsed("my_shop.orders%");
    EXPECT_FALSE(s.matches({"myXshop", "orders"}));  // the schema part has no %: exact
    EXPECT_TRUE(s.matches({"my_shop", "orders_old"}));
    TablePattern both = parsed("tenant_%.orders");
    EXPECT_TRUE(both.matches({"tenant_7", "orders"}));
    EXPECT_FALSE(both.matches({"tenant_7", "orders2"}));
}

TEST(TablePatternParse, AnEscapedDotIsPartOfAName) {
    TablePattern p = parsed("shop.a\\.%");
    EXPECT_TRUE(p.matches({"shop", "a.b"}));
    EXPECT_FALSE(p.matches({"shop", "ab"}));
}

TEST(TablePatternParse, RegularExpressionsMatchTheWholeQualifiedName) {
    TablePattern p = parsed("/shop\\.order_[0-9]+/");
    EXPECT_EQ(p.kind, TablePattern::Kind::Regex);
    EXPECT_TRUE(p.matches({"shop", "order_12"}));
    EXPECT_FALSE(p.matches({"shop", "order_12x"}));  // whole name, not a search
    EXPECT_FALSE(p.matches({"xshop", "order_12"}));
    TablePattern any_schema = parsed("/.*\\.audit/");
    EXPECT_TRUE(any_schema.matches({"a", "audit"}));
    EXPECT_TRUE(any_schema.matches({"b.c", "audit"}));
}

TEST(TablePatternParse, Problems) {
    EXPECT_EQ(problem("a.b.c"), "has more than one dot");
    EXPECT_EQ(problem(".t%"), "has an empty schema name");
    EXPECT_EQ(problem("s."), "has an empty table name");
    EXPECT_EQ(problem("/abc"), "starts a regular expression with / but does not end with /");
    EXPECT_EQ(problem("//"), "is an empty regular expression");
    EXPECT_NE(problem("/a(b/").find("is not a valid regular expression"), std::string::npos);
}

TEST(TableSelection, ExcludeWins) {
    TableSelection s;
    s.include.push_back(parsed("shop.*"));
    s.include.push_back(parsed("/shop\\.order_.*/"));
    s.exclude.push_back(parsed("shop.order\\_tmp%"));
    s.exclude.push_back(parsed("shop.audit"));
    EXPECT_EQ(s.selects({"shop", "orders"}), &s.include[0]);
    EXPECT_EQ(s.selects({"shop", "order_tmp_1"}), nullptr);
    EXPECT_EQ(s.selects({"shop", "audit"}), nullptr);
    EXPECT_EQ(s.selects({"other", "orders"}), nullptr);
    EXPECT_TRUE(s.excluded({"shop", "audit"}));
    EXPECT_FALSE(s.excluded({"shop", "audit2"}));
}

}  // namespace
}  // namespace cdc::model
