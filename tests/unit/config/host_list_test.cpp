// MYSQL_HOST as a list of host[:port] (failover).
#include "config/host_list.h"

#include <gtest/gtest.h>

namespace cdc::config {
namespace {

std::vector<HostPort> list(std::string_view text) {
    auto r = parse_host_list(text, 3306);
    if (auto* e = std::get_if<std::string>(&r)) ADD_FAILURE() << text << ": " << *e;
    auto* hosts = std::get_if<std::vector<HostPort>>(&r);
    return hosts ? *hosts : std::vector<HostPort>{};
}

std::string error(std::string_view text) {
    auto r = parse_host_list(text, 3306);
    auto* e = std::get_if<std::string>(&r);
    return e ? *e : "";
}

TEST(HostList, OneHostIsAsBefore) {
    EXPECT_EQ(list("localhost"), (std::vector<HostPort>{{"localhost", 3306}}));
    EXPECT_EQ(list("db:3307"), (std::vector<HostPort>{{"db", 3307}}));
    EXPECT_EQ(list("::1"), (std::vector<HostPort>{{"::1", 3306}}));
    EXPECT_EQ(list("[::1]:3310"), (std::vector<HostPort>{{"::1", 3310}}));
}

TEST(HostList, SeveralHostsInOrder) {
    EXPECT_EQ(list("db1, db2:3307 ,[fe80::1]:3308"),
              (std::vector<HostPort>{{"db1", 3306}, {"db2", 3307}, {"fe80::1", 3308}}));
    EXPECT_EQ((HostPort{"fe80::1", 3308}).to_string(), "[fe80::1]:3308");
    EXPECT_EQ((HostPort{"db", 1}).to_string(), "db:1");
}

TEST(HostList, BadEntriesAreNamed) {
    EXPECT_NE(error("db1,,db2"), "");
    EXPECT_NE(error("db1,"), "");
    EXPECT_NE(error("db1:0").find("db1:0"), std::string::npos);
    EXPECT_NE(error("db1:99999").find("invalid port"), std::string::npos);
    EXPECT_NE(error(":3306").find("no host"), std::string::npos);
    EXPECT_NE(error("db1,db1:3306").find("twice"), std::string::npos);
}

}  // namespace
}  // namespace cdc::config
