// Temporal text as MySQL's text protocol prints it (time_zone '+00:00').
#include <gtest/gtest.h>

#include "format/temporal_text.h"

namespace cdc::format {
namespace {

std::string date(uint16_t y, uint8_t m, uint8_t d) {
    std::string s;
    append_date_text(model::Date{y, m, d}, s);
    return s;
}

std::string datetime(model::DateTime dt, unsigned fsp) {
    std::string s;
    append_datetime_text(dt, fsp, s);
    return s;
}

std::string timestamp(int64_t seconds, uint32_t micros, unsigned fsp) {
    std::string s;
    append_timestamp_text(model::Timestamp{seconds, micros}, fsp, s);
    return s;
}

std::string time(bool neg, uint32_t h, uint8_t m, uint8_t sec, uint32_t micros, unsigned fsp) {
    std::string s;
    append_time_text(model::Time{neg, h, m, sec, micros}, fsp, s);
    return s;
}

TEST(TemporalText, Dates) {
    EXPECT_EQ(date(2024, 2, 29), "2024-02-29");
    EXPECT_EQ(date(0, 0, 0), "0000-00-00");
    EXPECT_EQ(date(1000, 1, 1), "1000-01-01");
    EXPECT_EQ(date(9999, 12, 31), "9999-12-31");
    EXPECT_EQ(date(33, 5, 0), "0033-05-00");
}

TEST(TemporalText, DateTimesWithEveryFsp) {
    model::DateTime dt{2012, 3, 18, 11, 30, 45, 123456};
    const char* expected[] = {"2012-03-18 11:30:45",        "2012-03-18 11:30:45.1",
                              "2012-03-18 11:30:45.12",     "2012-03-18 11:30:45.123",
                              "2012-03-18 11:30:45.1234",   "2012-03-18 11:30:45.12345",
                              "2012-03-18 11:30:45.123456"};
    for (unsigned fsp = 0; fsp <= 6; ++fsp) EXPECT_EQ(datetime(dt, fsp), expected[fsp]);
    EXPECT_EQ(datetime({1000, 1, 1, 0, 0, 0, 0}, 0), "1000-01-01 00:00:00");
    EXPECT_EQ(datetime({9999, 12, 31, 23, 59, 59, 999999}, 6), "9999-12-31 23:59:59.999999");
    EXPECT_EQ(datetime({0, 0, 0, 0, 0, 0, 0}, 0), "0000-00-00 00:00:00");
    EXPECT_EQ(datetime({0, 0, 0, 0, 0, 0, 0}, 2), "0000-00-00 00:00:00.00");
    EXPECT_EQ(datetime({2000, 1, 1, 0, 0, 0, 50}, 6), "2000-01-01 00:00:00.000050");
}

TEST(TemporalText, TimestampsAreUtc) {
    EXPECT_EQ(timestamp(0, 0, 0), "0000-00-00 00:00:00");  // the zero timestamp
    EXPECT_EQ(timestamp(0, 0, 6), "0000-00-00 00:00:00.000000");
    EXPECT_EQ(timestamp(1, 0, 0), "1970-01-01 00:00:01");
    EXPECT_EQ(timestamp(86399, 999999, 6), "1970-01-01 23:59:59.999999");
    EXPECT_EQ(timestamp(951782400, 0, 0), "2000-02-29 00:00:00");   // leap day of a 400 year
    EXPECT_EQ(timestamp(951868800, 0, 0), "2000-03-01 00:00:00");
    EXPECT_EQ(timestamp(1700000000, 500000, 1), "2023-11-14 22:13:20.5");
    EXPECT_EQ(timestamp(2147483647, 0, 0), "2038-01-19 03:14:07");
    EXPECT_EQ(timestamp(4102444800, 0, 0), "2100-01-01 00:00:00");  // 2100 is not leap
    EXPECT_EQ(timestamp(4107456000, 0, 0), "2100-02-28 00:00:00");
    EXPECT_EQ(timestamp(4107542400, 0, 0), "2100-03-01 00:00:00");
    EXPECT_EQ(timestamp(-1, 0, 0), "1969-12-31 23:59:59");
}

TEST(TemporalText, CivilFromDays) {
    auto same = [](model::Date d, uint16_t y, uint8_t m, uint8_t day) {
        return d.year == y && d.month == m && d.day == day;
    };
    EXPECT_TRUE(same(civil_from_days(0), 1970, 1, 1));
    EXPECT_TRUE(same(civil_from_days(-1), 1969, 12, 31));
    EXPECT_TRUE(same(civil_from_days(11016), 2000, 2, 29));
    EXPECT_TRUE(same(civil_from_days(2932896), 9999, 12, 31));
    EXPECT_TRUE(same(civil_from_days(-719528), 0, 1, 1));
}

TEST(TemporalText, Times) {
    EXPECT_EQ(time(false, 0, 0, 0, 0, 0), "00:00:00");
    EXPECT_EQ(time(true, 838, 59, 59, 0, 0), "-838:59:59");
    EXPECT_EQ(time(false, 838, 59, 59, 0, 0), "838:59:59");
    EXPECT_EQ(time(true, 507, 48, 27, 0, 0), "-507:48:27");
    EXPECT_EQ(time(true, 0, 0, 0, 500000, 1), "-00:00:00.5");
    EXPECT_EQ(time(false, 87, 31, 46, 654321, 6), "87:31:46.654321");
    EXPECT_EQ(time(false, 1, 2, 3, 0, 3), "01:02:03.000");
    EXPECT_EQ(time(false, 24, 0, 0, 0, 0), "24:00:00");
}

}  // namespace
}  // namespace cdc::format
