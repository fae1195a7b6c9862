// Text in MySQL charsets to JSON UTF-8, and the collation id table. Expected characters come
// from the charsets' published code tables (cp1252, ISO-8859-2, Windows-1251, GBK, Shift_JIS,
// EUC-KR, Big5) and from Unicode's UTF-16/32 encodings.
#include <gtest/gtest.h>

#include "format/charset.h"
#include "model/collation.h"
#include "unit/format/charset_json.h"

namespace cdc::format {
namespace {

using test::json;
using test::q;

const std::string kEuro = "\xe2\x82\xac";
const std::string kClef = "\xf0\x9d\x84\x9e";  // U+1D11E
const std::string kReplacement = "\xef\xbf\xbd";

TEST(Charset, Utf8CopiedAndInvalidBytesReplaced) {
    EXPECT_EQ(json("a" + kEuro + kClef, 255), q("a" + kEuro + kClef));
    EXPECT_EQ(json(kEuro, 33), q(kEuro));                       // utf8mb3_general_ci
    EXPECT_EQ(json("a\xff" "b", 45), q("a" + kReplacement + "b"));
    EXPECT_EQ(json("\xe2\x82", 46), q(kReplacement + kReplacement));  // cut sequence
    EXPECT_EQ(json("", 255), "\"\"");
    EXPECT_EQ(json("plain", 11), q("plain"));                  // ascii
}

TEST(Charset, UnknownCollationPassesUtf8) {
    EXPECT_EQ(json(kEuro, 0), q(kEuro));
    EXPECT_EQ(json("\x80", 0), q(kReplacement));
    EXPECT_EQ(json(kEuro, 17), q(kEuro));      // no collation has id 17
    EXPECT_EQ(json(kEuro, 60000), q(kEuro));
}

TEST(Charset, JsonEscapes) {
    EXPECT_EQ(json(std::string_view("\x00\x1f\"\\/\b\f\n\r\t", 10), 255),
              "\"\\u0000\\u001f\\\"\\\\/\\b\\f\\n\\r\\t\"");
    EXPECT_EQ(json("\x01\xe9", 8), "\"\\u0001\xc3\xa9\"");      // escapes on the latin1 path
}

TEST(Charset, Latin1IsCp1252) {
    EXPECT_EQ(json("\x80", 8), q(kEuro));
    EXPECT_EQ(json("caf\xe9", 8), q("caf\xc3\xa9"));           // é U+00E9
    EXPECT_EQ(json("\x81", 47), q("\xc2\x81"));                 // hole -> U+0081
    EXPECT_EQ(json("\x9f", 48), q("\xc5\xb8"));                 // Ÿ U+0178
    EXPECT_EQ(json("\x99", 5), q("\xe2\x84\xa2"));              // ™ U+2122
    EXPECT_EQ(json("\xa0\xff", 94), q("\xc2\xa0\xc3\xbf"));     // U+00A0, ÿ U+00FF
}

TEST(Charset, BinaryIsBase64) {
    EXPECT_EQ(json("foo", 63), q("Zm9v"));
    EXPECT_EQ(json("", 63), "\"\"");
}

TEST(Charset, IconvCharsets) {
    EXPECT_EQ(json("\xb1", 9), q("\xc4\x85"));                        // latin2 ą U+0105
    EXPECT_EQ(json("\xc0", 51), q("\xd0\x90"));                       // cp1251 А U+0410
    EXPECT_EQ(json("\xc4\xe3\xba\xc3", 28), q("\xe4\xbd\xa0\xe5\xa5\xbd"));  // gbk 你好
    EXPECT_EQ(json("\x82\xa0", 13), q("\xe3\x81\x82"));               // sjis あ U+3042
    EXPECT_EQ(json("\xb0\xa1", 19), q("\xea\xb0\x80"));               // euckr 가 U+AC00
    EXPECT_EQ(json("\xa4\xa4", 1), q("\xe4\xb8\xad"));                // big5 中 U+4E2D
    EXPECT_EQ(json(std::string_view("\x00\x41\x20\xac", 4), 35), q("A" + kEuro));  // ucs2
    EXPECT_EQ(json("\xd8\x34\xdd\x1e", 54), q(kClef));                // utf16 surrogates
    EXPECT_EQ(json("\x34\xd8\x1e\xdd", 56), q(kClef));                // utf16le
    EXPECT_EQ(json(std::string_view("\x00\x01\xd1\x1e", 4), 60), q(kClef));  // utf32
    EXPECT_EQ(json("\x81\x30\x81\x30", 248), q("\xc2\x80"));          // gb18030 U+0080
}

TEST(Charset, IconvBadInputIsReplaced) {
    EXPECT_EQ(json(std::string_view("\x00\x41\x00", 3), 54), q("A" + kReplacement));  // odd
    EXPECT_EQ(json("\xff\xff", 28), q(kReplacement + kReplacement));  // not GBK
    EXPECT_EQ(json(std::string("\"\x01", 2), 51), "\"\\\"\\u0001\"");  // escaped afterwards
}

TEST(Collation, CharsetOfId) {
    using model::charset_of_collation;
    EXPECT_EQ(charset_of_collation(0), "");
    EXPECT_EQ(charset_of_collation(8), "latin1");
    EXPECT_EQ(charset_of_collation(33), "utf8mb3");
    EXPECT_EQ(charset_of_collation(45), "utf8mb4");
    EXPECT_EQ(charset_of_collation(63), "binary");
    EXPECT_EQ(charset_of_collation(83), "utf8mb3");
    EXPECT_EQ(charset_of_collation(224), "utf8mb4");   // utf8mb4_unicode_ci
    EXPECT_EQ(charset_of_collation(246), "utf8mb4");   // utf8mb4_unicode_520_ci
    EXPECT_EQ(charset_of_collation(248), "gb18030");
    EXPECT_EQ(charset_of_collation(255), "utf8mb4");   // utf8mb4_0900_ai_ci
    EXPECT_EQ(charset_of_collation(309), "utf8mb4");   // utf8mb4_0900_bin
    EXPECT_EQ(charset_of_collation(323), "utf8mb4");   // utf8mb4_mn_cyrl_0900_as_cs
    EXPECT_EQ(charset_of_collation(17), "");
    EXPECT_EQ(charset_of_collation(576), "utf8mb3");   // MariaDB utf8mb3_croatian_ci
    EXPECT_EQ(charset_of_collation(608), "utf8mb4");   // MariaDB utf8mb4_croatian_ci
    EXPECT_EQ(charset_of_collation(640), "ucs2");      // MariaDB ucs2_croatian_ci
    EXPECT_EQ(charset_of_collation(1032), "latin1");   // MariaDB latin1_swedish_nopad_ci
    EXPECT_EQ(charset_of_collation(1070), "utf8mb4");  // MariaDB utf8mb4_nopad_bin
    EXPECT_EQ(charset_of_collation(2048), "utf8mb3");  // MariaDB utf8mb3_uca1400_ai_ci
    EXPECT_EQ(charset_of_collation(2304), "utf8mb4");  // MariaDB utf8mb4_uca1400_ai_ci
    EXPECT_EQ(charset_of_collation(3072), "utf32");
    EXPECT_EQ(charset_of_collation(5000), "");
}

}  // namespace
}  // namespace cdc::format
