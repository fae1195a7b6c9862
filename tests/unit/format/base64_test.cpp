// RFC 4648 section 10 test vectors, plus bytes that use the last two alphabet characters.
#include <gtest/gtest.h>

#include "format/base64.h"

namespace cdc::format {
namespace {

std::string b64(std::string_view s) {
    std::string out = "x";  // appends, never overwrites
    append_base64(s, out);
    return out.substr(1);
}

TEST(Base64, Rfc4648Vectors) {
    EXPECT_EQ(b64(""), "");
    EXPECT_EQ(b64("f"), "Zg==");
    EXPECT_EQ(b64("fo"), "Zm8=");
    EXPECT_EQ(b64("foo"), "Zm9v");
    EXPECT_EQ(b64("foob"), "Zm9vYg==");
    EXPECT_EQ(b64("fooba"), "Zm9vYmE=");
    EXPECT_EQ(b64("foobar"), "Zm9vYmFy");
}

TEST(Base64, HighBytesAndZeros) {
    EXPECT_EQ(b64(std::string_view("\xff\xfe", 2)), "//4=");
    EXPECT_EQ(b64(std::string_view("\xfb\xff", 2)), "+/8=");
    EXPECT_EQ(b64(std::string_view("\0\0\0", 3)), "AAAA");
    EXPECT_EQ(b64(std::string_view("\0", 1)), "AA==");
}

}  // namespace
}  // namespace cdc::format
