// NEWDECIMAL: bytes are built by encode_decimal(), which follows MySQL's decimal2bin (groups of
// 9 digits in 4 bytes, short groups by dig2bytes, all bytes inverted when negative, first bit
// flipped), and by hand from the example in decimal.cc's comment.
#include "unit/values/decode_helpers.h"

namespace cdc::testing {
namespace {

struct DecimalCase {
    unsigned precision;
    unsigned scale;
    const char* input;     // written as for INSERT
    const char* expected;  // as SELECT shows it
};

ColumnDef decimal_column(unsigned precision, unsigned scale) {
    ColumnDef c = column(ColumnType::NewDecimal);
    c.precision = static_cast<uint8_t>(precision);
    c.scale = static_cast<uint8_t>(scale);
    return c;
}

class DecimalValues : public ::testing::TestWithParam<DecimalCase> {};

TEST_P(DecimalValues, DecodesAndRendersExactly) {
    const DecimalCase& c = GetParam();
    ByteVec bytes = encode_decimal(c.input, c.precision, c.scale);
    Decoded d = decode(decimal_column(c.precision, c.scale), bytes);
    ASSERT_TRUE(d.ok) << d.message;
    EXPECT_EQ(d.consumed, bytes.size());
    EXPECT_EQ(d.value.kind, model::ValueKind::Decimal);
    EXPECT_EQ(d.value.precision, c.precision);
    EXPECT_EQ(d.value.scale, c.scale);
    EXPECT_EQ(d.value.bytes.size(), bytes.size());
    EXPECT_EQ(d.json, std::string("\"") + c.expected + "\"");
}

const DecimalCase kDecimalCases[] = {
    {65, 30, "12345678901234567890123456789012345.123456789012345678901234567890",
     "12345678901234567890123456789012345.123456789012345678901234567890"},
    {65, 30, "-0.000000000000000000000000000001", "-0.000000000000000000000000000001"},
    {65, 30, "0", "0.000000000000000000000000000000"},
    {65, 30, "-99999999999999999999999999999999999.999999999999999999999999999999",
     "-99999999999999999999999999999999999.999999999999999999999999999999"},
    {65, 30, "1000000000.000000001", "1000000000.000000001000000000000000000000"},
    {10, 5, "12345.6789", "12345.67890"},
    {10, 5, "-0.001", "-0.00100"},
    {10, 5, "0", "0.00000"},
    {10, 5, "-99999.99999", "-99999.99999"},
    {10, 5, "1", "1.00000"},
    {4, 2, "12.3", "12.30"},
    {4, 2, "-99.99", "-99.99"},
    {4, 2, "0", "0.00"},
    {4, 2, "-0.01", "-0.01"},
    {4, 2, "-0.00", "0.00"},  // a negative zero has no sign in MySQL's text
    {4, 2, "5", "5.00"},
    {18, 9, "123456789.123456789", "123456789.123456789"},
    {18, 9, "-1.000000001", "-1.000000001"},
    {18, 9, "-999999999.999999999", "-999999999.999999999"},
    {18, 9, "0.000000001", "0.000000001"},
    {19, 10, "123456789.0123456789", "123456789.0123456789"},
    {19, 10, "-1.0000000001", "-1.0000000001"},
    {19, 10, "999999999.9999999999", "999999999.9999999999"},
    {30, 25, "12345.1234567890123456789012345", "12345.1234567890123456789012345"},
    {30, 25, "-0.0000000000000000000000001", "-0.0000000000000000000000001"},
    {30, 25, "-99999.9999999999999999999999999", "-99999.9999999999999999999999999"},
    {9, 0, "999999999", "999999999"},
    {9, 0, "-1", "-1"},
    {9, 0, "0", "0"},
    {10, 0, "1234567890", "1234567890"},
    {10, 0, "-1000000000", "-1000000000"},
    {5, 5, "0.12345", "0.12345"},
    {5, 5, "-0.00001", "-0.00001"},
    {1, 0, "-9", "-9"},
    {65, 0, "99999999999999999999999999999999999999999999999999999999999999999",
     "99999999999999999999999999999999999999999999999999999999999999999"},
    {65, 0, "-10000000000000000000000000000000000000000000000000000000000000000",
     "-10000000000000000000000000000000000000000000000000000000000000000"},
};

INSTANTIATE_TEST_SUITE_P(GroupBoundaries, DecimalValues, ::testing::ValuesIn(kDecimalCases));

TEST(DecimalValues, ExampleFromMysqlSource) {
    // decimal.cc: 1234567890.1234 as DECIMAL(14,4) is 81 0D FB 38 D2 04 D2, and its negative
    // is the same bytes inverted (first bit flipped back): 7E F2 04 C7 2D FB 2D.
    expect_json(decimal_column(14, 4), {0x81, 0x0d, 0xfb, 0x38, 0xd2, 0x04, 0xd2},
                "\"1234567890.1234\"");
    expect_json(decimal_column(14, 4), {0x7e, 0xf2, 0x04, 0xc7, 0x2d, 0xfb, 0x2d},
                "\"-1234567890.1234\"");
    EXPECT_EQ(encode_decimal("1234567890.1234", 14, 4),
              (ByteVec{0x81, 0x0d, 0xfb, 0x38, 0xd2, 0x04, 0xd2}));
}

TEST(DecimalValues, RejectsBadMetadataAndBytes) {
    expect_error(decimal_column(0, 0), {0x80}, Errc::Malformed);
    expect_error(decimal_column(4, 5), {0x80, 0x00, 0x00}, Errc::Malformed);
    expect_error(decimal_column(66, 0), ByteVec(30, 0x80), Errc::Malformed);
    // DECIMAL(9,0) is one 4-byte group; 1000000000 (0x3B9ACA00) does not fit 9 digits.
    expect_error(decimal_column(9, 0), {0xbb, 0x9a, 0xca, 0x00}, Errc::Malformed);
    // A trailing 2-digit fraction group holding 100.
    expect_error(decimal_column(4, 2), {0x80, 0x64}, Errc::Malformed);
    expect_error(decimal_column(10, 5), {0x80, 0x00, 0x00}, Errc::Truncated);
}

}  // namespace
}  // namespace cdc::testing
