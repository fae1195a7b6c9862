// Temporal types. TIME2/DATETIME2 bytes come from encoders that follow MySQL's writer
// (my_time_packed_to_binary, my_datetime_packed_to_binary); a few are spelled out by hand.
#include "unit/values/decode_helpers.h"

namespace cdc::testing {
namespace {

ColumnDef temporal(ColumnType t, unsigned fsp) {
    ColumnDef c = column(t);
    c.fsp = static_cast<uint8_t>(fsp);
    return c;
}

std::string q(const std::string& s) { return "\"" + s + "\""; }

struct TimeCase {
    bool negative;
    int64_t h, m, s, micros;
    unsigned fsp;
    const char* expected;
};

class Time2Values : public ::testing::TestWithParam<TimeCase> {};

TEST_P(Time2Values, MatchesMysqlPacking) {
    const TimeCase& c = GetParam();
    ByteVec bytes = encode_time2(pack_time(c.negative, c.h, c.m, c.s, c.micros), c.fsp);
    EXPECT_EQ(bytes.size(), 3u + (c.fsp + 1) / 2);
    expect_json(temporal(ColumnType::Time2, c.fsp), bytes, q(c.expected));
}

const TimeCase kTimeCases[] = {
    {false, 0, 0, 0, 0, 0, "00:00:00"},
    {false, 838, 59, 59, 0, 0, "838:59:59"},
    {true, 838, 59, 59, 0, 0, "-838:59:59"},
    {true, 507, 48, 27, 0, 0, "-507:48:27"},
    {false, 12, 34, 56, 500000, 1, "12:34:56.5"},
    {true, 0, 0, 0, 500000, 1, "-00:00:00.5"},
    {true, 0, 0, 1, 100000, 1, "-00:00:01.1"},
    {false, 1, 2, 3, 120000, 2, "01:02:03.12"},
    {true, 838, 59, 58, 990000, 2, "-838:59:58.99"},
    {true, 0, 0, 0, 10000, 2, "-00:00:00.01"},
    {false, 23, 59, 59, 999000, 3, "23:59:59.999"},
    {true, 0, 0, 0, 1000, 3, "-00:00:00.001"},
    {true, 100, 0, 0, 123400, 4, "-100:00:00.1234"},
    {false, 0, 0, 0, 100, 4, "00:00:00.0001"},
    {true, 12, 0, 0, 10, 5, "-12:00:00.00001"},
    {false, 87, 31, 46, 654321, 6, "87:31:46.654321"},
    {true, 0, 0, 0, 1, 6, "-00:00:00.000001"},
    {true, 838, 59, 58, 999999, 6, "-838:59:58.999999"},
    {false, 0, 0, 0, 0, 6, "00:00:00.000000"},
};

INSTANTIATE_TEST_SUITE_P(EveryFsp, Time2Values, ::testing::ValuesIn(kTimeCases));

TEST(Time2Values, HandBuiltBytes) {
    // -838:59:59: hms = 838<<12 | 59<<6 | 59 = 3436283; 0x800000 - 3436283 = 0x4B9105.
    expect_json(temporal(ColumnType::Time2, 0), {0x4b, 0x91, 0x05}, q("-838:59:59"));
    // -507:48:27 (time_issue fixture): 0x800000 - 2079771 = 0x6043E5.
    expect_json(temporal(ColumnType::Time2, 0), {0x60, 0x43, 0xe5}, q("-507:48:27"));
    // -00:00:00.5 at fsp 1: int part -1 (0x7FFFFF), fraction byte (char)-50 = 0xCE.
    expect_json(temporal(ColumnType::Time2, 1), {0x7f, 0xff, 0xff, 0xce}, q("-00:00:00.5"));
    // -00:00:00.001 at fsp 3: int part -1, fraction (int16)-10 = 0xFFF6.
    expect_json(temporal(ColumnType::Time2, 3), {0x7f, 0xff, 0xff, 0xff, 0xf6},
                q("-00:00:00.001"));
    // -00:00:00.000001 at fsp 6: -1 + 0x800000000000.
    expect_json(temporal(ColumnType::Time2, 6), {0x7f, 0xff, 0xff, 0xff, 0xff, 0xff},
                q("-00:00:00.000001"));
    // 10:11:12 = 0x800000 + (10<<12 | 11<<6 | 12) = 0x80A2CC.
    expect_json(temporal(ColumnType::Time2, 0), {0x80, 0xa2, 0xcc}, q("10:11:12"));
}

TEST(Time2Values, RejectsBadInput) {
    expect_error(temporal(ColumnType::Time2, 7), {0x80, 0, 0, 0, 0, 0, 0}, Errc::Malformed);
    expect_error(temporal(ColumnType::Time2, 2), {0x80, 0x00, 0x00, 100}, Errc::Malformed);
    expect_error(temporal(ColumnType::Time2, 4), {0x80, 0x00, 0x00}, Errc::Truncated);
}

struct DateTimeCase {
    int64_t y, mo, d, h, mi, s, micros;
    unsigned fsp;
    const char* expected;
};

class DateTime2Values : public ::testing::TestWithParam<DateTimeCase> {};

TEST_P(DateTime2Values, MatchesMysqlPacking) {
    const DateTimeCase& c = GetParam();
    ByteVec bytes = encode_datetime2(c.y, c.mo, c.d, c.h, c.mi, c.s, c.micros, c.fsp);
    EXPECT_EQ(bytes.size(), 5u + (c.fsp + 1) / 2);
    expect_json(temporal(ColumnType::DateTime2, c.fsp), bytes, q(c.expected));
}

const DateTimeCase kDateTimeCases[] = {
    {1000, 1, 1, 0, 0, 0, 0, 0, "1000-01-01 00:00:00"},
    {9999, 12, 31, 23, 59, 59, 0, 0, "9999-12-31 23:59:59"},
    {9999, 12, 31, 23, 59, 59, 999999, 6, "9999-12-31 23:59:59.999999"},
    {0, 0, 0, 0, 0, 0, 0, 0, "0000-00-00 00:00:00"},
    {0, 0, 0, 0, 0, 0, 0, 3, "0000-00-00 00:00:00.000"},
    {2024, 2, 29, 12, 0, 0, 500000, 1, "2024-02-29 12:00:00.5"},
    {2012, 3, 18, 11, 30, 45, 120000, 2, "2012-03-18 11:30:45.12"},
    {2012, 3, 18, 11, 30, 45, 123000, 3, "2012-03-18 11:30:45.123"},
    {2012, 3, 18, 11, 30, 45, 123400, 4, "2012-03-18 11:30:45.1234"},
    {2012, 3, 18, 11, 30, 45, 123450, 5, "2012-03-18 11:30:45.12345"},
    {2012, 3, 18, 11, 30, 45, 0, 6, "2012-03-18 11:30:45.000000"},
    {2000, 0, 0, 0, 0, 0, 0, 0, "2000-00-00 00:00:00"},
};

INSTANTIATE_TEST_SUITE_P(EveryFsp, DateTime2Values, ::testing::ValuesIn(kDateTimeCases));

TEST(DateTime2Values, RejectsNegativeAndBadFraction) {
    expect_error(temporal(ColumnType::DateTime2, 0), {0x7f, 0xff, 0xff, 0xff, 0xff},
                 Errc::Malformed);
    ByteVec bytes = encode_datetime2(2000, 1, 1, 0, 0, 0, 0, 0);
    bytes.push_back(0xff);  // fsp 1-2 fraction of 255 hundredths
    expect_error(temporal(ColumnType::DateTime2, 2), bytes, Errc::Malformed);
}

TEST(Timestamp2Values, SecondsAndFractionBigEndian) {
    // 2147483647 = 2038-01-19 03:14:07 UTC; 1700000000 = 2023-11-14 22:13:20 UTC.
    expect_json(temporal(ColumnType::Timestamp2, 0), {0x7f, 0xff, 0xff, 0xff},
                q("2038-01-19 03:14:07"));
    const ByteVec secs = {0x65, 0x53, 0xf1, 0x00};  // 1700000000
    expect_json(temporal(ColumnType::Timestamp2, 0), secs, q("2023-11-14 22:13:20"));
    auto with = [&](ByteVec frac) {
        ByteVec b = secs;
        b.insert(b.end(), frac.begin(), frac.end());
        return b;
    };
    expect_json(temporal(ColumnType::Timestamp2, 1), with({10}), q("2023-11-14 22:13:20.1"));
    expect_json(temporal(ColumnType::Timestamp2, 2), with({99}), q("2023-11-14 22:13:20.99"));
    expect_json(temporal(ColumnType::Timestamp2, 3), with({0x04, 0xce}),  // 1230 * 100
                q("2023-11-14 22:13:20.123"));
    expect_json(temporal(ColumnType::Timestamp2, 4), with({0x04, 0xd2}),  // 1234 * 100
                q("2023-11-14 22:13:20.1234"));
    expect_json(temporal(ColumnType::Timestamp2, 5), with({0x01, 0xe2, 0x3a}),  // 123450
                q("2023-11-14 22:13:20.12345"));
    expect_json(temporal(ColumnType::Timestamp2, 6), with({0x01, 0xe2, 0x40}),  // 123456
                q("2023-11-14 22:13:20.123456"));
    expect_json(temporal(ColumnType::Timestamp2, 6), with({0x00, 0x00, 0x00}),
                q("2023-11-14 22:13:20.000000"));
    expect_json(temporal(ColumnType::Timestamp2, 3), {0, 0, 0, 0, 0, 0},
                q("0000-00-00 00:00:00.000"));
    expect_error(temporal(ColumnType::Timestamp2, 6), with({0x0f, 0x42, 0x40}),  // 1000000
                 Errc::Malformed);
}

TEST(OldTemporalValues, DateTimeTimestamp) {
    // DATE: 3 bytes LE, day | month << 5 | year << 9. 2024-02-29 = 0x0FD05D.
    expect_json(column(ColumnType::Date), {0x5d, 0xd0, 0x0f}, q("2024-02-29"));
    expect_json(column(ColumnType::NewDate), {0x5d, 0xd0, 0x0f}, q("2024-02-29"));
    expect_json(column(ColumnType::Date), {0, 0, 0}, q("0000-00-00"));
    // 1000-01-01 = 1000 << 9 | 1 << 5 | 1 = 0x07D021.
    expect_json(column(ColumnType::NewDate), {0x21, 0xd0, 0x07}, q("1000-01-01"));
    // 9999-12-31 = 9999 << 9 | 12 << 5 | 31 = 0x4E1F9F.
    expect_json(column(ColumnType::NewDate), {0x9f, 0x1f, 0x4e}, q("9999-12-31"));
    // Old TIME: signed 3-byte LE HHMMSS. 8385959 = 0x7FF5A7; -8385959 = 0x800A59.
    expect_json(column(ColumnType::Time), {0xa7, 0xf5, 0x7f}, q("838:59:59"));
    expect_json(column(ColumnType::Time), {0x59, 0x0a, 0x80}, q("-838:59:59"));
    expect_json(column(ColumnType::Time), {0x00, 0x00, 0x00}, q("00:00:00"));
    // Old DATETIME: u64 LE of YYYYMMDDhhmmss. 20240229134501 = 0x12688BAAF0A5.
    expect_json(column(ColumnType::DateTime), {0xa5, 0xf0, 0xaa, 0x8b, 0x68, 0x12, 0, 0},
                q("2024-02-29 13:45:01"));
    expect_json(column(ColumnType::DateTime), ByteVec(8, 0), q("0000-00-00 00:00:00"));
    expect_error(column(ColumnType::DateTime), ByteVec(8, 0xff), Errc::Malformed);
    // Old TIMESTAMP: u32 LE seconds. 951782400 = 2000-02-29 00:00:00 UTC = 0x38BB0C00.
    expect_json(column(ColumnType::Timestamp), {0x00, 0x0c, 0xbb, 0x38}, q("2000-02-29 00:00:00"));
    expect_json(column(ColumnType::Timestamp), {0, 0, 0, 0}, q("0000-00-00 00:00:00"));
}

}  // namespace
}  // namespace cdc::testing
