#include "state/state_names.h"

#include <gtest/gtest.h>

#include "state/position_order.h"

namespace cdc::state {
namespace {

TEST(StateNames, OrdinaryNamesAreTheSeeds) {
    EXPECT_EQ(single_table_file_name({"shop", "orders"}), "binlog_position_shop_orders.json");
    EXPECT_EQ(single_table_file_name({"d", "unicodé"}), "binlog_position_d_unicodé.json");
}

TEST(StateNames, SlashesAndPercentsAreEscaped) {
    EXPECT_EQ(single_table_file_name({"d", "a/../b"}), "binlog_position_d_a%2F..%2Fb.json");
    EXPECT_EQ(model::escape_file_name("50%"), "50%25");
    std::string back;
    ASSERT_TRUE(model::unescape_file_name("a%2F..%2Fb%25", back));
    EXPECT_EQ(back, "a/../b%");
}

TEST(StateNames, LongNamesAreCutWithAHash) {
    std::string table(300, 'x');
    std::string name = single_table_file_name({"d", table});
    EXPECT_LE(name.size(), kMaxFileNameBytes);
    EXPECT_NE(name.find("%%"), std::string::npos);
    EXPECT_NE(name, single_table_file_name({"d", table + "y"}));
}

TEST(StateNames, LegacyNames) {
    using model::TableId;
    std::vector<TableId> wanted{{"d", "a"}, {"d", "b"}, {"e", "c"}};
    EXPECT_EQ(parse_legacy_name("binlog_position_d_a.json", {"d", "e"}, wanted),
              (std::vector<TableId>{{"d", "a"}}));
    EXPECT_EQ(parse_legacy_name("binlog_position_d_a+b+e.c.json", {"d", "e"}, wanted),
              (std::vector<TableId>{{"d", "a"}, {"d", "b"}, {"e", "c"}}));
    EXPECT_TRUE(parse_legacy_name("binlog_position_d_x.json", {"d"}, wanted).empty());
    EXPECT_TRUE(parse_legacy_name("mysql-cdc.lock", {"d"}, wanted).empty());
}

TEST(PositionOrder, ComparesFileNumbersThenPositions) {
    using model::BinlogPosition;
    EXPECT_EQ(*compare_positions(BinlogPosition{"b.000009", 500}, BinlogPosition{"b.000010", 4}),
              std::strong_ordering::less);
    EXPECT_EQ(*compare_positions(BinlogPosition{"b.1000000", 4}, BinlogPosition{"b.999999", 9}),
              std::strong_ordering::greater);
    EXPECT_EQ(*compare_positions(BinlogPosition{"b.000001", 4}, BinlogPosition{"b.000001", 4}),
              std::strong_ordering::equal);
    EXPECT_FALSE(compare_positions(BinlogPosition{"a.000001", 4}, BinlogPosition{"b.000001", 4}));
}

}  // namespace
}  // namespace cdc::state
