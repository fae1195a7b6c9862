#include "common/temporal_text.h"

#include <gtest/gtest.h>

#include <string>

namespace cdc {
namespace {

TEST(TemporalText, DateClockAndFraction) {
    char buf[kMaxTemporalText];
    char* p = put_date_text(buf, 2024, 1, 31);
    *p++ = ' ';
    p = put_clock_text(p, 3, 4, 5);
    p = put_fraction_text(p, 120000, 3);
    EXPECT_EQ(std::string(buf, p), "2024-01-31 03:04:05.120");
}

TEST(TemporalText, FractionDigits) {
    char buf[kMaxTemporalText];
    EXPECT_EQ(std::string(buf, put_fraction_text(buf, 600, 0)), "");
    EXPECT_EQ(std::string(buf, put_fraction_text(buf, 600, 6)), ".000600");
    EXPECT_EQ(std::string(buf, put_fraction_text(buf, 999999, 39)), ".999999");
    EXPECT_EQ(std::string(buf, put_fraction_text(buf, 500000, 1)), ".5");
}

TEST(TemporalText, WideFieldsInFull) {
    char buf[kMaxTemporalText];
    EXPECT_EQ(std::string(buf, put_date_text(buf, 0, 0, 0)), "0000-00-00");
    EXPECT_EQ(std::string(buf, put_date_text(buf, 12345, 1, 2)), "12345-01-02");
    EXPECT_EQ(std::string(buf, put_clock_text(buf, 838, 59, 59)), "838:59:59");
    EXPECT_EQ(std::string(buf, put_clock_text(buf, 7, 0, 0)), "07:00:00");
    EXPECT_EQ(std::string(buf, put_min_digits(buf, 16777215, 6)), "16777215");
    EXPECT_EQ(std::string(buf, put_min_digits(buf, 42, 6)), "000042");
}

}  // namespace
}  // namespace cdc
