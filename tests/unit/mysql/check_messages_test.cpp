#include "mysql/check_messages.h"

#include <gtest/gtest.h>

namespace cdc::mysql {
namespace {

bool has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

TEST(CheckMessages, Versions) {
    EXPECT_FALSE(version_problem(true, 101106, "10.11.6-MariaDB"));
    EXPECT_FALSE(version_problem(false, 80036, "8.0.36"));
    EXPECT_FALSE(version_problem(false, 50744, "5.7.44"));
    auto old_maria = version_problem(true, 100411, "10.4.11-MariaDB");
    ASSERT_TRUE(old_maria);
    EXPECT_TRUE(has(*old_maria, "10.5.0 or newer"));
    EXPECT_TRUE(version_problem(false, 50640, "5.6.40"));
}

TEST(CheckMessages, BinlogOff) {
    EXPECT_TRUE(has(binlog_off_message(), "Binary logging must be enabled for CDC"));
    EXPECT_TRUE(has(binlog_off_message(), "log_bin"));
}

TEST(CheckMessages, VariableSaysNameValueAndFix) {
    const std::string m = variable_message("binlog_format", "MIXED", "ROW");
    EXPECT_TRUE(has(m, "binlog_format is MIXED"));
    EXPECT_TRUE(has(m, "SET GLOBAL binlog_format = 'ROW'"));
    EXPECT_TRUE(has(m, "binlog_format = ROW in my.cnf"));
    EXPECT_TRUE(has(variable_message("binlog_row_image", "MINIMAL", "FULL"),
                    "SET GLOBAL binlog_row_image = 'FULL'"));
}

TEST(CheckMessages, MissingPrivilegesPerFlavour) {
    const GrantSet none = parse_grants({"GRANT USAGE ON *.* TO `u`@`%`"});
    EXPECT_EQ(missing_replication_privileges(none, true, 101106),
              (std::vector<std::string>{"REPLICATION SLAVE", "BINLOG MONITOR"}));
    EXPECT_EQ(missing_replication_privileges(none, false, 80036),
              (std::vector<std::string>{"REPLICATION SLAVE", "REPLICATION CLIENT"}));
    const GrantSet super = parse_grants({"GRANT SUPER, REPLICATION SLAVE ON *.* TO `u`@`%`"});
    EXPECT_TRUE(missing_replication_privileges(super, true, 101106).empty());
    const GrantSet slave = parse_grants({"GRANT REPLICATION SLAVE ON *.* TO `u`@`%`"});
    const auto missing = missing_replication_privileges(slave, true, 101106);
    const std::string m = missing_privileges_message({"cdc", "%"}, missing);
    EXPECT_TRUE(has(m, "GRANT BINLOG MONITOR ON *.* TO 'cdc'@'%'"));
}

TEST(CheckMessages, Tables) {
    EXPECT_EQ(missing_table_message({"shop", "orders"}),
              "table `shop`.`orders` does not exist (MYSQL_TABLE)");
    EXPECT_TRUE(has(missing_select_message({"cdc", "%"}, {"shop", "orders"}, true),
                    "GRANT SELECT ON `shop`.`orders` TO 'cdc'@'%'"));
    EXPECT_EQ(missing_table_message({"a`b", "t"}), "table `a``b`.`t` does not exist (MYSQL_TABLE)");
}

TEST(CheckMessages, PositionGone) {
    const std::string m = position_gone_message("mysql-bin.000001", 1234, "mysql-bin.000005");
    EXPECT_TRUE(has(m, "mysql-bin.000001:1234 is no longer on the server"));
    EXPECT_TRUE(has(m, "oldest is mysql-bin.000005"));
    EXPECT_TRUE(has(m, "FORCE_SNAPSHOT=true"));
    EXPECT_TRUE(has(m, "SNAPSHOT_MODE=when_needed"));
    EXPECT_TRUE(has(position_beyond_end_message("f.1", 900, 500), "past the end"));
}

TEST(CheckMessages, TableKeys) {
    EXPECT_EQ(table_key_message("PRIMARY", {"id", "at"}), "PRIMARY KEY (`id`, `at`)");
    const std::string promoted = table_key_message("uk_email", {"email"});
    EXPECT_TRUE(has(promoted, "UNIQUE index `uk_email` (`email`)"));
    EXPECT_TRUE(has(promoted, "the server uses it as the primary key"));
    const std::string none = no_table_key_message({"shop", "log"});
    EXPECT_TRUE(has(none, "keyed by the whole row"));
    EXPECT_TRUE(has(none, "another key and partition"));
    EXPECT_TRUE(has(none, "identical rows"));
    EXPECT_TRUE(has(none, "compacted topic"));
    EXPECT_TRUE(has(none, "ALTER TABLE `shop`.`log` ADD PRIMARY KEY"));
}

}  // namespace
}  // namespace cdc::mysql
