// Binary DECIMAL to text, straight from bytes (encode_decimal follows MySQL's decimal2bin).
#include <gtest/gtest.h>

#include "format/decimal_text.h"
#include "unit/values/mysql_encoders.h"

namespace cdc::testing {
namespace {

std::string text_of(const ByteVec& b, unsigned precision, unsigned scale) {
    std::string out = "<";
    bool ok = format::append_decimal_text(
        std::string_view(reinterpret_cast<const char*>(b.data()), b.size()), precision, scale,
        out);
    return ok ? out.substr(1) : "(rejected)";
}

std::string round_trip(const std::string& in, unsigned precision, unsigned scale) {
    return text_of(encode_decimal(in, precision, scale), precision, scale);
}

TEST(DecimalText, ExactScaleAndNoLeadingZeros) {
    EXPECT_EQ(round_trip("12.3", 4, 2), "12.30");
    EXPECT_EQ(round_trip("-0.001", 10, 3), "-0.001");
    EXPECT_EQ(round_trip("0", 4, 2), "0.00");
    EXPECT_EQ(round_trip("-0", 4, 2), "0.00");
    EXPECT_EQ(round_trip("0007", 10, 0), "7");
    EXPECT_EQ(round_trip("0", 10, 0), "0");
    EXPECT_EQ(round_trip("-5", 10, 0), "-5");
    EXPECT_EQ(round_trip("0.5", 1, 1), "0.5");
    EXPECT_EQ(round_trip("-0.5", 1, 1), "-0.5");
}

TEST(DecimalText, EveryGroupBoundary) {
    // Integer digits 1..20 and fraction digits 0..20: the biggest value of each shape, its
    // negative, and 1 at the last fraction digit.
    for (unsigned intg = 1; intg <= 20; ++intg) {
        for (unsigned scale = 0; scale <= 20; ++scale) {
            std::string frac_nines = scale ? "." + std::string(scale, '9') : "";
            std::string nines = std::string(intg, '9') + frac_nines;
            EXPECT_EQ(round_trip(nines, intg + scale, scale), nines);
            EXPECT_EQ(round_trip("-" + nines, intg + scale, scale), "-" + nines);
            std::string tiny = "0" + (scale ? "." + std::string(scale - 1, '0') + "1" : "");
            EXPECT_EQ(round_trip(tiny, intg + scale, scale), scale ? tiny : "0");
            std::string one = "1" + std::string(intg - 1, '0') +
                              (scale ? "." + std::string(scale, '0') : "");
            EXPECT_EQ(round_trip(one, intg + scale, scale), one);
        }
    }
}

// The integer part is written from its first non-zero group: every count of significant digits
// in every integer width, so that group is the leading partial one, a full one, or the last.
TEST(DecimalText, IntegerPartStartsAtItsFirstSignificantDigit) {
    for (unsigned intg = 1; intg <= 30; ++intg) {
        for (unsigned digits = 1; digits <= intg; ++digits) {
            std::string v = "7" + std::string(digits - 1, '0');
            if (digits > 1) v.back() = '3';
            EXPECT_EQ(round_trip(std::string(intg - digits, '0') + v + ".25", intg + 2, 2),
                      v + ".25");
            EXPECT_EQ(round_trip("-" + v, intg, 0), "-" + v);
        }
    }
}

TEST(DecimalText, LargestPrecision) {
    std::string v = "12345678901234567890123456789012345.123456789012345678901234567890";
    EXPECT_EQ(round_trip(v, 65, 30), v);
    EXPECT_EQ(round_trip("-" + v, 65, 30), "-" + v);
    EXPECT_EQ(round_trip("0", 65, 30), "0." + std::string(30, '0'));
    EXPECT_EQ(round_trip(std::string(65, '9'), 65, 0), std::string(65, '9'));
}

TEST(DecimalText, RejectsWrongSizeOrDigits) {
    EXPECT_EQ(text_of({0x80}, 4, 2), "(rejected)");              // needs 2 bytes
    EXPECT_EQ(text_of({0x80, 0x64}, 4, 2), "(rejected)");        // fraction group of 100
    EXPECT_EQ(text_of({0xbb, 0x9a, 0xca, 0x00}, 9, 0), "(rejected)");  // 1000000000
    EXPECT_EQ(text_of({}, 0, 0), "(rejected)");
    EXPECT_EQ(text_of({0x80, 0x00}, 2, 3), "(rejected)");
}

}  // namespace
}  // namespace cdc::testing
