#include "mysql/binlog_history.h"

#include <gtest/gtest.h>

namespace cdc::mysql {
namespace {

bool has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

TEST(BinlogHistory, SplitsFileNames) {
    auto n = split_binlog_name("mysql-bin.000012");
    ASSERT_TRUE(n);
    EXPECT_EQ(n->base, "mysql-bin");
    EXPECT_EQ(n->index, 12u);
    auto dotted = split_binlog_name("host.name-bin.000003");
    ASSERT_TRUE(dotted);
    EXPECT_EQ(dotted->base, "host.name-bin");
    EXPECT_EQ(dotted->index, 3u);
    EXPECT_FALSE(split_binlog_name("mysql-bin"));
    EXPECT_FALSE(split_binlog_name("mysql-bin.00x1"));
    EXPECT_FALSE(split_binlog_name("mysql-bin."));
}

TEST(BinlogHistory, ParsesMariadbGtids) {
    auto one = parse_mariadb_gtids("0-1-5");
    ASSERT_TRUE(one);
    ASSERT_EQ(one->size(), 1u);
    EXPECT_EQ((*one)[0], (MariaGtid{0, 1, 5}));
    auto list = parse_mariadb_gtids("[0-1-5, 4294967295-7-18446744073709551615]");
    ASSERT_TRUE(list);
    ASSERT_EQ(list->size(), 2u);
    EXPECT_EQ((*list)[1], (MariaGtid{4294967295u, 7, 18446744073709551615ull}));
    auto empty = parse_mariadb_gtids("");
    ASSERT_TRUE(empty);
    EXPECT_TRUE(empty->empty());
    EXPECT_FALSE(parse_mariadb_gtids("0-1"));
    EXPECT_FALSE(parse_mariadb_gtids("0-1-x"));
    EXPECT_FALSE(parse_mariadb_gtids("3e11fa47-71ca-11e1-9e33-c80aa9429562:5"));
}

TEST(BinlogHistory, StateHoldsTheSavedGtidOfItsDomainExactly) {
    const std::vector<MariaGtid> state = {{0, 1, 12}, {1, 2, 7}};
    EXPECT_TRUE(state_holds(state, {{0, 1, 12}}));
    EXPECT_TRUE(state_holds(state, {{1, 2, 7}, {0, 1, 12}}));
    EXPECT_TRUE(state_holds(state, {}));
    EXPECT_FALSE(state_holds(state, {{0, 1, 11}}));  // an older transaction of that domain
    EXPECT_FALSE(state_holds(state, {{0, 9, 12}}));  // same number, another server
    EXPECT_FALSE(state_holds(state, {{2, 1, 12}}));  // a domain the server has not there
    EXPECT_FALSE(state_holds({}, {{0, 1, 1}}));      // after RESET MASTER, at the start
}

TEST(BinlogHistory, TellsMysqlGtids) {
    EXPECT_TRUE(is_mysql_gtid("3e11fa47-71ca-11e1-9e33-c80aa9429562:23"));
    EXPECT_TRUE(is_mysql_gtid("3E11FA47-71CA-11E1-9E33-C80AA9429562:tag_1:23"));
    EXPECT_FALSE(is_mysql_gtid("00000000-0000-0000-0000-000000000000:0"));  // anonymous
    EXPECT_FALSE(is_mysql_gtid("3e11fa47-71ca-11e1-9e33-c80aa9429562:0"));
    EXPECT_FALSE(is_mysql_gtid("0-1-5"));
    EXPECT_FALSE(is_mysql_gtid("3e11fa47x71ca-11e1-9e33-c80aa9429562:23"));
}

TEST(BinlogHistory, MessagesSayResetWhatWasSavedWhatTheServerHasAndWhatToDo) {
    const std::string reset = history_replaced_message("mysql-bin.000001", 5239, "0-1-12",
                                                       "GTID state 0-1-3 at that position");
    EXPECT_TRUE(has(reset, "history was reset or replaced (RESET MASTER, or a different server)"))
        << reset;
    EXPECT_TRUE(has(reset, "mysql-bin.000001:5239"));
    EXPECT_TRUE(has(reset, "GTID 0-1-12"));
    EXPECT_TRUE(has(reset, "GTID state 0-1-3"));
    EXPECT_TRUE(has(reset, "FORCE_SNAPSHOT=true"));

    const std::string newer =
        file_newer_than_newest_message("mysql-bin.000007", 4, "mysql-bin.000001");
    EXPECT_TRUE(has(newer, "newer than the server's newest (mysql-bin.000001)")) << newer;
    EXPECT_TRUE(has(newer, "reset (RESET MASTER)"));
    EXPECT_FALSE(has(newer, "purged"));

    const std::string inside = inside_event_message("mysql-bin.000001", 300, "Wrong offset");
    EXPECT_TRUE(has(inside, "mysql-bin.000001:300 is not the start of an event")) << inside;
    EXPECT_TRUE(has(inside, "(Wrong offset)"));

    EXPECT_TRUE(has(file_of_other_server_message("binlog.000003", 4, "mysql-bin.000002"),
                    "different server"));
    EXPECT_EQ(shorten("abcdef", 3), "abc...");
    EXPECT_EQ(shorten("abc", 3), "abc");
}

}  // namespace
}  // namespace cdc::mysql
