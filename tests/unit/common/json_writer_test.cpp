#include "common/json_writer.h"

#include <gtest/gtest.h>

#include <limits>

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

TEST(JsonWriter, CopiesUtf8AsIs) {
    EXPECT_EQ(str("€ 𝄞 ü"), "\"€ 𝄞 ü\"");
}

TEST(JsonWriter, LossyReplacesInvalidUtf8) {
    std::string out;
    append_json_string_lossy(out, "a\xff" "b\xc3");  // stray byte, truncated sequence
    EXPECT_EQ(out, "\"a\xef\xbf\xbd" "b\xef\xbf\xbd\"");
    out.clear();
    append_json_string_lossy(out, "\xed\xa0\x80");  // a UTF-16 surrogate is not UTF-8
    EXPECT_EQ(out, "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"");
    out.clear();
    append_json_string_lossy(out, "ok €\n");
    EXPECT_EQ(out, "\"ok €\\n\"");
}

TEST(JsonWriter, Utf8Validation) {
    EXPECT_TRUE(is_valid_utf8("plain"));
    EXPECT_TRUE(is_valid_utf8("€𝄞"));
    EXPECT_FALSE(is_valid_utf8("\xc0\xaf"));  // overlong '/'
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

}  // namespace
}  // namespace cdc
