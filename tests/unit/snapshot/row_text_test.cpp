// The server's text forms of temporal values, as the snapshot reads them (values written by
// hand from the MySQL manual's ranges, not from our own output).
#include <gtest/gtest.h>

#include "snapshot/row_converter.h"

namespace cdc::snapshot {
namespace {

TEST(SnapshotText, Dates) {
    model::Date d{};
    ASSERT_TRUE(parse_date_text("1000-01-01", d));
    EXPECT_EQ(d.year, 1000);
    EXPECT_EQ(d.month, 1);
    EXPECT_EQ(d.day, 1);
    ASSERT_TRUE(parse_date_text("9999-12-31", d));
    EXPECT_EQ(d.year, 9999);
    EXPECT_EQ(d.day, 31);
    // Zero dates and zero parts are stored values, shown as they are.
    ASSERT_TRUE(parse_date_text("0000-00-00", d));
    EXPECT_EQ(d.year, 0);
    ASSERT_TRUE(parse_date_text("2020-05-00", d));
    EXPECT_EQ(d.month, 5);
    EXPECT_EQ(d.day, 0);
    for (const char* bad : {"", "2020-5-1", "2020/05/01", "20200501", "2020-05-01 ", "abcd-ef-gh"}) {
        EXPECT_FALSE(parse_date_text(bad, d)) << bad;
    }
}

TEST(SnapshotText, DateTimesWithEveryPrecision) {
    model::DateTime t{};
    ASSERT_TRUE(parse_datetime_text("1000-01-01 00:00:00", t));
    EXPECT_EQ(t.micros, 0u);
    ASSERT_TRUE(parse_datetime_text("9999-12-31 23:59:59.999999", t));
    EXPECT_EQ(t.hour, 23);
    EXPECT_EQ(t.minute, 59);
    EXPECT_EQ(t.second, 59);
    EXPECT_EQ(t.micros, 999999u);
    // Fewer fractional digits are scaled: DATETIME(1) "…59.5" is 500000 microseconds.
    ASSERT_TRUE(parse_datetime_text("2024-02-29 12:34:56.5", t));
    EXPECT_EQ(t.micros, 500000u);
    ASSERT_TRUE(parse_datetime_text("2024-02-29 12:34:56.012", t));
    EXPECT_EQ(t.micros, 12000u);
    ASSERT_TRUE(parse_datetime_text("0000-00-00 00:00:00", t));
    EXPECT_EQ(t.year, 0);
    for (const char* bad : {"2024-02-29", "2024-02-29T12:34:56", "2024-02-29 12:34:56.",
                            "2024-02-29 12:34:56.1234567", "2024-02-29 12:34", "2024-02-29 1:34:56"}) {
        EXPECT_FALSE(parse_datetime_text(bad, t)) << bad;
    }
}

TEST(SnapshotText, TimesNegativeAndBeyond24Hours) {
    model::Time t{};
    ASSERT_TRUE(parse_time_text("838:59:59", t));
    EXPECT_FALSE(t.negative);
    EXPECT_EQ(t.hours, 838u);
    EXPECT_EQ(t.minutes, 59);
    EXPECT_EQ(t.seconds, 59);
    ASSERT_TRUE(parse_time_text("-838:59:59.000000", t));
    EXPECT_TRUE(t.negative);
    EXPECT_EQ(t.hours, 838u);
    ASSERT_TRUE(parse_time_text("-00:00:00.000001", t));
    EXPECT_TRUE(t.negative);
    EXPECT_EQ(t.hours, 0u);
    EXPECT_EQ(t.micros, 1u);
    ASSERT_TRUE(parse_time_text("00:00:00", t));
    EXPECT_FALSE(t.negative);
    ASSERT_TRUE(parse_time_text("100:00:00.25", t));
    EXPECT_EQ(t.hours, 100u);
    EXPECT_EQ(t.micros, 250000u);
    for (const char* bad : {"", ":00:00", "12:00", "12:0:00", "-", "12345:00:00", "1a:00:00",
                            "12:00:00.", "12:00:00x"}) {
        EXPECT_FALSE(parse_time_text(bad, t)) << bad;
    }
}

}  // namespace
}  // namespace cdc::snapshot
