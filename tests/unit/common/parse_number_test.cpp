#include "common/parse_number.h"

#include <gtest/gtest.h>

namespace cdc {
namespace {

TEST(ParseNumber, TheWholeTextInBaseTen) {
    uint64_t u = 0;
    EXPECT_TRUE(parse_number("18446744073709551615", u));
    EXPECT_EQ(u, UINT64_MAX);
    for (const char* bad : {"", "-1", "+1", " 1", "1 ", "12a", "18446744073709551616"}) {
        EXPECT_FALSE(parse_number(bad, u)) << bad;
    }
    uint32_t small = 0;
    EXPECT_FALSE(parse_number("4294967296", small));
    int64_t i = 0;
    EXPECT_TRUE(parse_number("-9223372036854775808", i));
    EXPECT_EQ(i, INT64_MIN);
    double d = 0;
    EXPECT_TRUE(parse_number("1.5e3", d));
    EXPECT_EQ(d, 1500.0);
}

TEST(ParseNumber, ResultColumns) {
    EXPECT_EQ(parse_u64(std::optional<std::string>("4")), 4u);
    EXPECT_EQ(parse_u64(std::optional<std::string>()), std::nullopt);  // SQL NULL
    EXPECT_EQ(parse_u64(std::optional<std::string>("4x")), std::nullopt);
}

}  // namespace
}  // namespace cdc
