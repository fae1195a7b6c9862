#include "common/hex.h"

#include <gtest/gtest.h>

#include <string>

namespace cdc {
namespace {

TEST(Hex, RoundTripsEveryByte) {
    std::string all;
    for (int c = 0; c < 256; ++c) all += static_cast<char>(c);
    std::string hex = to_hex(all);
    EXPECT_EQ(hex.substr(0, 6), "000102");
    EXPECT_EQ(hex.substr(hex.size() - 4), "feff");
    std::string back;
    ASSERT_TRUE(from_hex(hex, back));
    EXPECT_EQ(back, all);
}

TEST(Hex, ReadsEitherCaseAndRefusesTheRest) {
    std::string out = "old";
    EXPECT_TRUE(from_hex("", out));
    EXPECT_EQ(out, "");
    EXPECT_TRUE(from_hex("6A6b", out));
    EXPECT_EQ(out, "jk");
    EXPECT_FALSE(from_hex("6", out));
    EXPECT_FALSE(from_hex("6g", out));
    EXPECT_FALSE(from_hex(" 61", out));
    EXPECT_EQ(hex_value('F'), 15);
    EXPECT_EQ(hex_value('/'), -1);
}

}  // namespace
}  // namespace cdc
