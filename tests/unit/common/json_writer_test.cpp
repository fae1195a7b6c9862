#include "common/json_writer.h"

#include <gtest/gtest.h>

#include <bit>
#include <charconv>
#include <cmath>
#include <limits>
#include <random>

namespace cdc {
namespace {

std::string str(std::string_view s) {
    std::string out;
    append_json_string(out, s);
    return out;
}

TEST(JsonWriter, EscapesQuotesBackslashesAndControls) {
    EXPECT_EQ(str("a\"b\\c"), R"("a\"b\\c")");
    EXPECT_EQ(str("\n\r\t\b\f"), R"("\n\r\t\b\f")");
    EXPECT_EQ(str(std::string_view("\x00\x01\x1f", 3)), R"("\u0000\u0001\u001f")");
    EXPECT_EQ(str(""), R"("")");
}

TEST(JsonWriter, CopiesUtf8AsIs) { EXPECT_EQ(str("€ 𝄞 ü"), "\"€ 𝄞 ü\""); }

TEST(JsonWriter, LossyReplacesInvalidUtf8) {
    std::string out;
    append_json_string_lossy(out,
                             "a\xff"
                             "b\xc3");  // stray byte, truncated sequence
    EXPECT_EQ(out,
              "\"a\xef\xbf\xbd"
              "b\xef\xbf\xbd\"");
    out.clear();
    append_json_string_lossy(out, "\xed\xa0\x80");  // a UTF-16 surrogate is not UTF-8
    EXPECT_EQ(out, "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"");
    out.clear();
    append_json_string_lossy(out, "ok €\n");
    EXPECT_EQ(out, "\"ok €\\n\"");
}

// Issue 11, defect 8: a schema, table or column name from a corrupt binlog without checksums
// was written raw, so the line was not valid JSON. Whatever the bytes, the string is.
TEST(JsonWriter, StringReplacesBytesThatAreNotUtf8) {
    EXPECT_EQ(str("t\xff\xfe"), "\"t\xef\xbf\xbd\xef\xbf\xbd\"");
    EXPECT_EQ(str("c\xc3(\"x"), "\"c\xef\xbf\xbd(\\\"x\"");  // and still escapes
    EXPECT_EQ(str("a long plain prefix of ascii \xc0\xaf"),
              "\"a long plain prefix of ascii \xef\xbf\xbd\xef\xbf\xbd\"");
    EXPECT_EQ(str("ü\n\xed\xa0\x80"), "\"ü\\n\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"");
    EXPECT_EQ(str("valid € with \"quote\""), "\"valid € with \\\"quote\\\"\"");
}

TEST(JsonWriter, Utf8Validation) {
    EXPECT_TRUE(is_valid_utf8("plain"));
    EXPECT_TRUE(is_valid_utf8("€𝄞"));
    EXPECT_FALSE(is_valid_utf8("\xc0\xaf"));          // overlong '/'
    EXPECT_FALSE(is_valid_utf8("\xf4\x90\x80\x80"));  // > U+10FFFF
}

TEST(JsonWriter, IntegersAreExact) {
    std::string out;
    append_json_int(out, std::numeric_limits<int64_t>::min());
    out += ',';
    append_json_uint(out, std::numeric_limits<uint64_t>::max());
    EXPECT_EQ(out, "-9223372036854775808,18446744073709551615");
}

TEST(JsonWriter, FloatsAreShortestRoundTrip) {
    std::string out;
    append_json_double(out, 0.1);
    out += ',';
    append_json_float(out, 0.1f);
    out += ',';
    append_json_double(out, 1e300);
    out += ',';
    append_json_double(out, std::numeric_limits<double>::quiet_NaN());
    EXPECT_EQ(out, "0.1,0.1,1e+300,null");
}

// plain_ascii_prefix (and append_json_text's fast path) scans 16 or 8 bytes at a time with an
// overlapping last load: the first flagged byte must be found at every length and position.
TEST(JsonWriter, PlainAsciiPrefixFindsTheFirstFlaggedByte) {
    for (char flagged : {'"', '\\', '\x01', '\x1f', '\x80', '\xff', '\0'}) {
        for (size_t n = 0; n <= 50; ++n) {
            std::string s(n, 'a');
            ASSERT_EQ(plain_ascii_prefix(s), n);
            for (size_t at = 0; at < n; ++at) {
                std::string t = s;
                t[at] = flagged;
                if (at + 1 < n) t[n - 1] = flagged;  // a later one must not win
                ASSERT_EQ(plain_ascii_prefix(t), at) << n << " " << at << " " << int(flagged);
            }
        }
    }
    EXPECT_EQ(plain_ascii_prefix(" ~\x7f"), 3u);  // 0x20, 0x7e and DEL need no escape
}

// write_double_text has a fast path for short decimals; whatever path a value takes, the text
// must be std::to_chars's, byte for byte.
std::string via_to_chars(double v) {
    char buf[64];
    return std::string(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
}

std::string via_writer(double v) {
    char buf[kMaxDoubleText];
    return std::string(buf, write_double_text(buf, v));
}

void expect_same_as_to_chars(double v) {
    ASSERT_EQ(via_writer(v), via_to_chars(v)) << "bits " << std::bit_cast<uint64_t>(v);
    ASSERT_EQ(via_writer(-v), via_to_chars(-v)) << "bits " << std::bit_cast<uint64_t>(-v);
}

TEST(JsonWriter, DoubleTextIsToCharsText) {
    const double pow10[] = {1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8};
    for (double v : {0.0,
                     0.5,
                     1.25,
                     1e5,
                     1e6,
                     1.2e6,
                     1e14,
                     1e15,
                     1e16,
                     999999999999999.0,
                     0.1,
                     0.2,
                     0.3,
                     0.001,
                     0.0001,
                     0.00012,
                     1.5e-6,
                     1e-7,
                     1e300,
                     5e-324,
                     123456789012345.0,
                     12345678901234.5,
                     0.1 + 0.2,
                     1.0 / 3}) {
        expect_same_as_to_chars(v);
    }
    for (int i = 0; i < 2000000; ++i) expect_same_as_to_chars(i * 1.25);
    for (int k = 0; k <= 8; ++k) {
        for (int m = 0; m < 200000; ++m) expect_same_as_to_chars(m / pow10[k]);
    }
    std::mt19937_64 rng(42);
    for (int i = 0; i < 1000000; ++i) {
        // Short decimals of every length and scale, and arbitrary bit patterns.
        uint64_t digits = rng() % 10000000000000000ull >> (rng() % 50);
        expect_same_as_to_chars(static_cast<double>(digits) / pow10[rng() % 9]);
        double any = std::bit_cast<double>(rng());
        if (std::isfinite(any)) expect_same_as_to_chars(any);
    }
}

}  // namespace
}  // namespace cdc
