// MariaGtidState: the per-domain GTID state a checkpoint resumes from on any server.
#include "model/mariadb_gtid_state.h"

#include <gtest/gtest.h>

namespace cdc::model {
namespace {

TEST(MariaGtidState, ParsesAndFormatsSortedByDomain) {
    auto s = MariaGtidState::parse("1-2-7, 0-1-42");
    ASSERT_TRUE(s);
    EXPECT_EQ(s->to_string(), "0-1-42,1-2-7");
    ASSERT_NE(s->find(1), nullptr);
    EXPECT_EQ(s->find(1)->server, 2u);
    EXPECT_EQ(s->find(3), nullptr);
    auto empty = MariaGtidState::parse("");
    ASSERT_TRUE(empty);
    EXPECT_TRUE(empty->empty());
    EXPECT_EQ(empty->to_string(), "");
    EXPECT_EQ(MariaGtidState::parse("0-1-18446744073709551615")->find(0)->seq,
              18446744073709551615ull);
}

TEST(MariaGtidState, RefusesMalformedText) {
    EXPECT_FALSE(MariaGtidState::parse("0-1"));
    EXPECT_FALSE(MariaGtidState::parse("0-1-x"));
    EXPECT_FALSE(MariaGtidState::parse("0-1-2,,1-1-1"));
    EXPECT_FALSE(MariaGtidState::parse("0-1-2,0-2-3"));  // a domain twice
    EXPECT_FALSE(MariaGtidState::parse("3E11FA47-71CA-11E1-9E33-C80AA9429562:1-5"));
}

TEST(MariaGtidState, AddReplacesTheDomainsLastTransaction) {
    MariaGtidState s;
    s.add({0, 1, 5});
    s.add({2, 1, 1});
    s.add({0, 2, 6});  // after a failover: another server writes the domain's next seq
    EXPECT_EQ(s.to_string(), "0-2-6,2-1-1");
    EXPECT_TRUE(s.contains(0, 6));
    EXPECT_TRUE(s.contains(0, 1));
    EXPECT_FALSE(s.contains(0, 7));
    EXPECT_FALSE(s.contains(1, 1));  // a domain the state lacks holds nothing
}

TEST(MariaGtidState, CoversComparesEveryDomain) {
    auto server = *MariaGtidState::parse("0-2-10,1-1-3");
    EXPECT_TRUE(server.covers(*MariaGtidState::parse("0-1-9")));
    EXPECT_TRUE(server.covers(*MariaGtidState::parse("0-1-10,1-1-3")));
    EXPECT_FALSE(server.covers(*MariaGtidState::parse("0-1-11")));       // lagging
    EXPECT_FALSE(server.covers(*MariaGtidState::parse("0-1-9,5-1-1")));  // domain missing
    EXPECT_TRUE(server.covers(MariaGtidState{}));
}

}  // namespace
}  // namespace cdc::model
