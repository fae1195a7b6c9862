// GtidSet: MySQL's GTID set text, adding transactions, differences and the binary form.
#include "model/gtid_set.h"

#include <gtest/gtest.h>

namespace cdc::model {
namespace {

constexpr const char* kA = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
constexpr const char* kB = "b9b88c66-0755-11f1-9899-4a9da94c4d71";

GtidSet set_of(const std::string& text) {
    auto s = GtidSet::parse(text);
    EXPECT_TRUE(s.ok()) << text << ": " << (s.ok() ? "" : s.error().message);
    return s.ok() ? *s : GtidSet{};
}

GtidSet::Uuid uuid(const char* text) { return *GtidSet::parse_uuid(text); }

TEST(GtidSet, ParsesAndPrintsMySqlsText) {
    EXPECT_EQ(set_of("").to_string(), "");
    EXPECT_TRUE(set_of("").empty());
    EXPECT_EQ(set_of(std::string(kA) + ":1-5:7").to_string(), std::string(kA) + ":1-5:7");
    // Upper-case UUIDs, line breaks, unsorted and overlapping pieces are normalised.
    std::string messy =
        std::string(kB) + ":3-4,\n" + "3E11FA47-71CA-11E1-9E33-C80AA9429562:7:1-5:6";
    EXPECT_EQ(set_of(messy).to_string(), std::string(kA) + ":1-7," + kB + ":3-4");
    // Tags (8.3+): the numbers after a tag are its own; folded to lower case, printed after
    // the untagged numbers.
    EXPECT_EQ(set_of(std::string(kA) + ":MyTag:1-2:4," + kA + ":1-13").to_string(),
              std::string(kA) + ":1-13:mytag:1-2:4");
}

TEST(GtidSet, RejectsWhatIsNotASet) {
    for (const std::string& bad :
         {std::string("nope:1"), std::string(kA), std::string(kA) + ":", std::string(kA) + ":0",
          std::string(kA) + ":5-3", std::string(kA) + ":1-", std::string(kA) + ":x-y",
          std::string(kA) + ":tag", std::string(kA) + ":1,,",
          std::string(kA) + ":" + std::string(33, 't') + ":1",
          std::string(kA).substr(0, 35) + "g:1"}) {
        auto s = GtidSet::parse(bad);
        EXPECT_FALSE(s.ok()) << bad;
        if (!s.ok()) {
            EXPECT_EQ(s.error().code, Errc::InvalidArgument);
        }
    }
}

TEST(GtidSet, AddsTransactionsAndMergesIntervals) {
    GtidSet s;
    auto a = uuid(kA);
    for (int64_t g : {1, 2, 3, 5}) s.add(a, "", g);
    EXPECT_EQ(s.to_string(), std::string(kA) + ":1-3:5");
    s.add(a, "", 4);  // fills the gap
    EXPECT_EQ(s.to_string(), std::string(kA) + ":1-5");
    s.add(a, "", 3);  // already there
    EXPECT_EQ(s.to_string(), std::string(kA) + ":1-5");
    s.add(a, "", 10);
    s.add(a, "", 8);
    s.add(a, "t", 1);
    s.add(uuid(kB), "", 2);
    EXPECT_EQ(s.to_string(), std::string(kA) + ":1-5:8:10:t:1," + kB + ":2");
    EXPECT_TRUE(s.contains(a, "", 4));
    EXPECT_FALSE(s.contains(a, "", 9));
    EXPECT_FALSE(s.contains(a, "u", 1));
    EXPECT_TRUE(s.contains(a, "t", 1));
}

TEST(GtidSet, ContainsAndMinusCompareWholeSets) {
    GtidSet big = set_of(std::string(kA) + ":1-100," + kB + ":1-5");
    GtidSet small = set_of(std::string(kA) + ":3-7:50");
    EXPECT_TRUE(big.contains(small));
    EXPECT_FALSE(small.contains(big));
    EXPECT_EQ(big.minus(small).to_string(), std::string(kA) + ":1-2:8-49:51-100," + kB + ":1-5");
    EXPECT_TRUE(small.minus(big).empty());
    // A lagging replica misses the tail of what the reader delivered.
    GtidSet delivered = set_of(std::string(kA) + ":1-120");
    GtidSet replica = set_of(std::string(kA) + ":1-118");
    EXPECT_EQ(delivered.minus(replica).to_string(), std::string(kA) + ":119-120");
    GtidSet merged = replica;
    merged.add(set_of(std::string(kB) + ":1"));
    EXPECT_EQ(merged.to_string(), std::string(kA) + ":1-118," + kB + ":1");
}

TEST(GtidSet, EncodesAsGtidSetEncode) {
    EXPECT_EQ(GtidSet{}.encode(), std::string(8, '\0'));
    std::string e = set_of(std::string(kA) + ":1-5:7").encode();
    ASSERT_EQ(e.size(), 8u + 16 + 8 + 2 * 16);
    EXPECT_EQ(e[0], 1);  // one source
    EXPECT_EQ(static_cast<uint8_t>(e[8]), 0x3e);
    EXPECT_EQ(static_cast<uint8_t>(e[23]), 0x62);
    EXPECT_EQ(e[24], 2);  // two intervals
    EXPECT_EQ(e[32], 1);  // [1,
    EXPECT_EQ(e[40], 6);  //  6)
    EXPECT_EQ(e[48], 7);  // [7,
    EXPECT_EQ(e[56], 8);  //  8)
    // Tagged: format byte, 6 count bytes, format byte; a tag after each UUID.
    std::string t = set_of(std::string(kA) + ":1:ab:2").encode();
    EXPECT_EQ(t[0], 1);
    EXPECT_EQ(t[1], 2);
    EXPECT_EQ(t[7], 1);
    EXPECT_EQ(t[8 + 16], 0);                    // "" is a zero length, one byte
    EXPECT_EQ(t[8 + 16 + 1 + 8 + 16 + 16], 4);  // "ab": length 2 as (2 << 1)
}

}  // namespace
}  // namespace cdc::model
