#include "binlog/json/json_path.h"

#include <gtest/gtest.h>

namespace cdc::binlog::json {
namespace {

TEST(JsonPath, MembersAndCells) {
    auto legs = parse_json_path("$.a[1].\"b c\"[last][last - 2] . d");
    ASSERT_TRUE(legs) << legs.error().message;
    ASSERT_EQ(legs->size(), 6u);
    EXPECT_EQ((*legs)[0].kind, PathLeg::Kind::Member);
    EXPECT_EQ((*legs)[0].member, "a");
    EXPECT_EQ((*legs)[1].kind, PathLeg::Kind::ArrayCell);
    EXPECT_EQ((*legs)[1].index, 1u);
    EXPECT_FALSE((*legs)[1].from_end);
    EXPECT_EQ((*legs)[2].member, "b c");
    EXPECT_TRUE((*legs)[3].from_end);
    EXPECT_EQ((*legs)[3].index, 0u);
    EXPECT_TRUE((*legs)[4].from_end);
    EXPECT_EQ((*legs)[4].index, 2u);
    EXPECT_EQ((*legs)[5].member, "d");
}

TEST(JsonPath, RootAndEscapes) {
    auto root = parse_json_path(" $ ");
    ASSERT_TRUE(root);
    EXPECT_TRUE(root->empty());
    auto legs = parse_json_path(R"($."a\"b\\\u00e9\ud83d\ude00\n")");
    ASSERT_TRUE(legs) << legs.error().message;
    EXPECT_EQ((*legs)[0].member, "a\"b\\\xc3\xa9\xf0\x9f\x98\x80\n");
}

TEST(JsonPath, Rejected) {
    for (const char* bad : {"", "a", "$.", "$[", "$[1", "$[x]", "$[4294967296]", "$.\"open",
                            "$.\"\\x\"", "$.\"\\ud800\"", "$x", "$[last-]"}) {
        EXPECT_FALSE(parse_json_path(bad)) << bad;
    }
    for (const char* unsupported : {"$.*", "$[*]", "$**.a", "$[1 to 2]"}) {
        auto r = parse_json_path(unsupported);
        ASSERT_FALSE(r) << unsupported;
        EXPECT_EQ(r.error().code, Errc::Unsupported) << unsupported;
    }
}

TEST(JsonPath, ArrayIndexLikeMySql) {
    PathLeg leg;
    leg.kind = PathLeg::Kind::ArrayCell;
    leg.index = 5;
    EXPECT_EQ(resolve_array_index(leg, 3).position, 3u);  // clamped: inserts append
    EXPECT_FALSE(resolve_array_index(leg, 3).within_bounds);
    leg.from_end = true;
    leg.index = 0;
    EXPECT_EQ(resolve_array_index(leg, 3).position, 2u);
    EXPECT_TRUE(resolve_array_index(leg, 3).within_bounds);
    EXPECT_FALSE(resolve_array_index(leg, 0).within_bounds);
}

}  // namespace
}  // namespace cdc::binlog::json
