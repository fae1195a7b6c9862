#include "format/debezium_decimal.h"

#include <gtest/gtest.h>

#include <string>

namespace cdc::format {
namespace {

// The unscaled bytes in hex, or "error".
std::string unscaled(std::string_view text, unsigned scale) {
    uint8_t bytes[kMaxUnscaledBytes];
    size_t n = decimal_unscaled_bytes(text, scale, bytes);
    if (n == 0) return "error";
    std::string hex;
    for (size_t i = 0; i < n; ++i) {
        static constexpr char kHex[] = "0123456789abcdef";
        hex += kHex[bytes[i] >> 4];
        hex += kHex[bytes[i] & 15];
    }
    return hex;
}

TEST(DebeziumDecimal, UnscaledValueAsBigIntegerToByteArray) {
    EXPECT_EQ(unscaled("12.30", 2), "04ce");  // 1230
    EXPECT_EQ(unscaled("-12.30", 2), "fb32");
    EXPECT_EQ(unscaled("0.00", 2), "00");
    EXPECT_EQ(unscaled("-0.00", 2), "00");
    EXPECT_EQ(unscaled("127", 0), "7f");
    EXPECT_EQ(unscaled("128", 0), "0080");  // a leading 00 keeps it positive
    EXPECT_EQ(unscaled("-128", 0), "80");
    EXPECT_EQ(unscaled("-129", 0), "ff7f");
    EXPECT_EQ(unscaled("255", 0), "00ff");
    EXPECT_EQ(unscaled("1.5", 3), "05dc");  // padded to the scale: 1500
    EXPECT_EQ(unscaled("+7", 0), "07");
}

TEST(DebeziumDecimal, SixtyFiveDigits) {
    std::string nines(65, '9');
    // 10^65 - 1 takes 216 bits, so 28 bytes with the sign byte: 00 f3 ... (BigInteger's form,
    // checked with Python's int.to_bytes(signed=True)).
    std::string hex = unscaled(nines, 0);
    EXPECT_EQ(hex.size(), 56u);
    EXPECT_EQ(hex.substr(0, 4), "00f3");
    EXPECT_EQ(unscaled("-" + nines, 0).substr(0, 4), "ff0c");
}

TEST(DebeziumDecimal, RejectsWhatIsNotADecimal) {
    EXPECT_EQ(unscaled("", 0), "error");
    EXPECT_EQ(unscaled("1e5", 0), "error");
    EXPECT_EQ(unscaled("-", 0), "error");
    EXPECT_EQ(unscaled(std::string(200, '9'), 0), "error");
}

TEST(DebeziumDecimal, ToDouble) {
    double d = 0;
    ASSERT_TRUE(decimal_to_double("-12.30", d));
    EXPECT_EQ(d, -12.3);
    ASSERT_TRUE(decimal_to_double("+0.1", d));
    EXPECT_EQ(d, 0.1);
    EXPECT_FALSE(decimal_to_double("x", d));
}

}  // namespace
}  // namespace cdc::format
