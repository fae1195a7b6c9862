#include "mysql/text_forms.h"

#include <gtest/gtest.h>

#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <string>

namespace cdc::mysql {
namespace {

template <class F, class... A>
std::string text(F write, A... args) {
    char buf[kMaxTextForm];
    size_t n = write(args..., buf);
    return std::string(buf, n);
}

TEST(TextForms, DatesAndDateTimesAsTheServerPrintsThem) {
    TemporalParts t{2024, 1, 2, 3, 4, 5, 600};
    EXPECT_EQ(text(write_date_text, t), "2024-01-02");
    EXPECT_EQ(text(write_datetime_text, t, 0u), "2024-01-02 03:04:05");
    EXPECT_EQ(text(write_datetime_text, t, 6u), "2024-01-02 03:04:05.000600");
    EXPECT_EQ(text(write_datetime_text, TemporalParts{2024, 1, 2, 3, 4, 5, 123456}, 3u),
              "2024-01-02 03:04:05.123");
    EXPECT_EQ(text(write_datetime_text, TemporalParts{}, 2u), "0000-00-00 00:00:00.00");
    EXPECT_EQ(text(write_datetime_text, TemporalParts{9999, 12, 31, 23, 59, 59, 999999}, 39u),
              "9999-12-31 23:59:59.999999");
}

TEST(TextForms, TimesKeepTheirSignAndLongHours) {
    TemporalParts t{};
    t.hour = 838;
    t.minute = 59;
    t.second = 59;
    t.negative = true;
    EXPECT_EQ(text(write_time_text, t, 0u), "-838:59:59");
    t.negative = false;
    t.hour = 7;
    t.micros = 500000;
    EXPECT_EQ(text(write_time_text, t, 1u), "07:59:59.5");
    EXPECT_EQ(text(write_time_text, TemporalParts{}, 0u), "00:00:00");
}

TEST(TextForms, IntegersAtTheirLimits) {
    EXPECT_EQ(text(write_int_text, std::numeric_limits<int64_t>::min()), "-9223372036854775808");
    EXPECT_EQ(text(write_uint_text, std::numeric_limits<uint64_t>::max()), "18446744073709551615");
    EXPECT_EQ(text(write_int_text, int64_t{0}), "0");
}

TEST(TextForms, FloatingPointReadsBackExactly) {
    std::mt19937_64 rng(42);
    for (int i = 0; i < 100000; ++i) {
        uint64_t bits = rng();
        double d;
        std::memcpy(&d, &bits, sizeof d);
        if (!std::isfinite(d)) continue;
        std::string s = text(write_double_text, d);
        double back = 0;
        auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), back);
        ASSERT_EQ(ec, std::errc()) << s;
        ASSERT_EQ(end, s.data() + s.size()) << s;
        uint64_t back_bits;
        std::memcpy(&back_bits, &back, sizeof back);
        ASSERT_EQ(back_bits, bits) << s;
    }
    EXPECT_EQ(text(write_double_text, 1.25), "1.25");
    EXPECT_EQ(text(write_double_text, -1.7976931348623157e308), "-1.7976931348623157e+308");
}

}  // namespace
}  // namespace cdc::mysql
