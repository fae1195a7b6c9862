// Text in charsets whose glibc converter differs from the server's own table on some
// characters (format/charset_overrides.h). Expected characters are what MariaDB 10.11's
// SELECT HEX(CONVERT(CONVERT(X'..' USING cs) USING utf8mb4)) returns for the same bytes.
#include <gtest/gtest.h>

#include "format/charset.h"
#include "unit/format/charset_json.h"

namespace cdc::format {
namespace {

using test::json;
using test::q;

// sjis_japanese_ci (13): ASCII stays ASCII (glibc's SJIS gave U+00A5 for '\' and U+203E for
// '~'); 0x815F, where the server stores a '\' typed by a client, is U+005C; neighbours of an
// override still go through iconv.
TEST(CharsetServerTables, Sjis) {
    EXPECT_EQ(json("a\\b~", 13), q("a\\\\b~"));
    EXPECT_EQ(json("\x81\x5f", 13), q("\\\\"));
    EXPECT_EQ(json("\x82\xa0\x81\x5f\x82\xa0", 13), q("\xe3\x81\x82\\\\\xe3\x81\x82"));
    EXPECT_EQ(json("\x81\x60", 13), q("\xe3\x80\x9c"));  // U+301C wave dash
    EXPECT_EQ(json("\x81\x91\x81\x92\x81\xca", 13), q("\xc2\xa2\xc2\xa3\xc2\xac"));  // ¢ £ ¬
}

// ujis_japanese_ci (12): 0xA1C0 is '\', 0x8FA2B7 (three bytes, JIS X 0212) is '~', and the
// user-defined rows 0xF5A1... are private use (glibc's EUC-JP refused them).
TEST(CharsetServerTables, Ujis) {
    EXPECT_EQ(json("\xa1\xc0", 12), q("\\\\"));
    EXPECT_EQ(json("x\x8f\xa2\xb7y", 12), q("x~y"));
    EXPECT_EQ(json("\xf5\xa1", 12), q("\xee\x80\x80"));  // U+E000
    EXPECT_EQ(json("\xa4\xa2", 12), q("\xe3\x81\x82"));  // あ through iconv
}

// euckr_korean_ci (19) holds the UHC extension: 0x8141 is U+AC02 (glibc's EUC-KR refused it).
TEST(CharsetServerTables, EuckrIsUhc) {
    EXPECT_EQ(json("\x81\x41", 19), q("\xea\xb0\x82"));
    EXPECT_EQ(json("\xb0\xa1", 19), q("\xea\xb0\x80"));
}

// big5_chinese_ci (1): the ETEN kana row (glibc: private use) and a few symbols.
TEST(CharsetServerTables, Big5) {
    EXPECT_EQ(json("\xc6\xa6", 1), q("\xe3\x81\x82"));                      // U+3042 あ
    EXPECT_EQ(json("\xa2\x44", 1), q("\xc2\xa5"));                          // U+00A5 ¥
    EXPECT_EQ(json("\xa4\xa4\xa1\x45", 1), q("\xe4\xb8\xad\xe2\x80\xa2"));  // 中 •
}

// Single-byte charsets: swe7 (10) letters on ASCII punctuation, tis620 (18) C1 controls,
// koi8u (22) 0x95, greek (25) 0xA1, cp866 (36) 0xFC, macroman (39) 0xC6.
TEST(CharsetServerTables, SingleByte) {
    EXPECT_EQ(json("$@^`~", 10), q("$\xc3\x89\xc3\x9c\xc3\xa9\xc3\xbc"));  // $ É Ü é ü
    EXPECT_EQ(json("\x80\xa1", 18), q("\xc2\x80\xe0\xb8\x81"));            // U+0080 ก
    EXPECT_EQ(json("\x95", 22), q("\xe2\x80\xa2"));                        // U+2022
    EXPECT_EQ(json("\xa1", 25), q("\xca\xbd"));                            // U+02BD
    EXPECT_EQ(json("\xfc", 36), q("\xe2\x81\xbf"));                        // U+207F
    EXPECT_EQ(json("\xc6", 39), q("\xe2\x88\x86"));                        // U+2206
}

// keybcs2 (37) has no glibc converter and geostd8 (92) none by that name: both used to be read
// as UTF-8, every letter past ASCII a U+FFFD.
TEST(CharsetServerTables, Keybcs2AndGeostd8) {
    EXPECT_EQ(json("a\x80\x87", 37), q("a\xc4\x8c\xc4\x8d"));        // a Č č
    EXPECT_EQ(json("\xc0\xfd", 92), q("\xe1\x83\x90\xe2\x84\x96"));  // ა №
}

}  // namespace
}  // namespace cdc::format
