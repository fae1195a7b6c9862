#include "mysql/grants.h"

#include <gtest/gtest.h>

namespace cdc::mysql {
namespace {

TEST(Grants, MariaDbReplicationGrantWithPasswordHash) {
    GrantSet g = parse_grants({"GRANT REPLICATION SLAVE, BINLOG MONITOR ON *.* TO `cdc`@`%` "
                               "IDENTIFIED BY PASSWORD '*53AF37B4E491F0F9B72418EF5B69D36C7AF0869C'"});
    EXPECT_TRUE(g.has_global("REPLICATION SLAVE"));
    EXPECT_TRUE(g.has_global("BINLOG MONITOR"));
    EXPECT_FALSE(g.has_global("SELECT"));
    EXPECT_FALSE(g.has_on_table("SELECT", {"shop", "orders"}));
}

TEST(Grants, AllPrivilegesCoversEverything) {
    GrantSet g = parse_grants({"GRANT ALL PRIVILEGES ON *.* TO `root`@`localhost` WITH GRANT OPTION"});
    EXPECT_TRUE(g.has_global("REPLICATION SLAVE"));
    EXPECT_TRUE(g.has_global("replication client"));
    EXPECT_TRUE(g.has_on_table("SELECT", {"any", "table"}));
}

TEST(Grants, MySqlSpellingAndReplicaAlias) {
    GrantSet g = parse_grants({"GRANT REPLICATION REPLICA, REPLICATION CLIENT ON *.* TO `u`@`%`"});
    EXPECT_TRUE(g.has_global("REPLICATION SLAVE"));
    EXPECT_TRUE(g.has_global("REPLICATION CLIENT"));
}

TEST(Grants, DatabaseAndTableLevelSelect) {
    GrantSet g = parse_grants({
        "GRANT USAGE ON *.* TO `u`@`%`",
        "GRANT SELECT, INSERT ON `shop`.* TO `u`@`%`",
        "GRANT SELECT ON `crm`.`people` TO `u`@`%`",
        "GRANT SELECT (`id`, `name`) ON `crm`.`secrets` TO `u`@`%`",
    });
    EXPECT_FALSE(g.has_global("SELECT"));
    EXPECT_TRUE(g.has_on_table("SELECT", {"shop", "orders"}));
    EXPECT_TRUE(g.has_on_table("SELECT", {"crm", "people"}));
    EXPECT_FALSE(g.has_on_table("SELECT", {"crm", "other"}));
    EXPECT_FALSE(g.has_on_table("SELECT", {"crm", "secrets"}));  // column grant only
}

TEST(Grants, DatabaseWildcardsAndEscapes) {
    GrantSet g = parse_grants({"GRANT SELECT ON `app\\_%`.* TO `u`@`%`"});
    EXPECT_TRUE(g.has_on_table("SELECT", {"app_1", "t"}));
    EXPECT_FALSE(g.has_on_table("SELECT", {"appx1", "t"}));
}

TEST(Grants, QuotedNamesWithBackticksAndDots) {
    GrantSet g = parse_grants({"GRANT SELECT ON `we``ird.db`.`t.1` TO `u`@`%`"});
    EXPECT_TRUE(g.has_on_table("SELECT", {"we`ird.db", "t.1"}));
}

TEST(Grants, IgnoresRolesRoutinesAndProxy) {
    GrantSet g = parse_grants({
        "GRANT `replication_role` TO `u`@`%`",
        "GRANT EXECUTE ON PROCEDURE `db`.`p` TO `u`@`%`",
        "GRANT PROXY ON ''@'%' TO 'u'@'%'",
    });
    EXPECT_FALSE(g.has_global("REPLICATION SLAVE"));
    EXPECT_FALSE(g.has_on_table("EXECUTE", {"db", "p"}));
}

TEST(Grants, IdentifiedViaEd25519) {
    GrantSet g = parse_grants({"GRANT REPLICATION SLAVE ON *.* TO `e`@`%` IDENTIFIED VIA ed25519 "
                               "USING 'dY0RVnbOILusQ8GjLE8RkkRYAc16HL/aaaUp2DYbV+M'"});
    EXPECT_TRUE(g.has_global("REPLICATION SLAVE"));
}

TEST(Grants, LikeMatch) {
    EXPECT_TRUE(like_match("a%", "abc"));
    EXPECT_TRUE(like_match("a_c", "abc"));
    EXPECT_FALSE(like_match("a\\_c", "abc"));
    EXPECT_TRUE(like_match("a\\_c", "a_c"));
    EXPECT_TRUE(like_match("%", ""));
    EXPECT_FALSE(like_match("", "x"));
}

TEST(Grants, ParseAccount) {
    Account a = parse_account("cdc@%");
    EXPECT_EQ(a.user, "cdc");
    EXPECT_EQ(a.host, "%");
    EXPECT_EQ(a.quoted(), "'cdc'@'%'");
    EXPECT_EQ(parse_account("we@ird@10.0.0.%").user, "we@ird");
}

}  // namespace
}  // namespace cdc::mysql
