// A SET whose labels are in a charset where ',' is not the byte 0x2C (ucs2, utf16, utf32): the
// labels are joined after conversion, as SELECT shows them ("ZΩ,a"). Joining the raw bytes with
// 0x2C first misaligned the two-byte units: "ZΩⰀ�".
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "format/value_json.h"
#include "model/value.h"

namespace cdc::format {
namespace {

using model::Value;
using model::ValueKind;

std::string set_json(const std::vector<std::string>& labels, uint64_t bits, uint16_t collation) {
    Value v;
    v.kind = ValueKind::Set;
    v.u = bits;
    v.labels = &labels;
    v.collation = collation;
    std::string out;
    append_value_json(v, out);
    return out;
}

TEST(SetCharset, Ucs2LabelsJoinedAfterConversion) {
    std::vector<std::string> labels = {std::string("\x00Z\x03\xa9", 4),
                                       std::string("\x00"
                                                   "a",
                                                   2),
                                       std::string("\x00\"", 2)};
    EXPECT_EQ(set_json(labels, 0b011, 35), "\"Z\xce\xa9,a\"");  // ucs2_general_ci
    EXPECT_EQ(set_json(labels, 0b111, 35), "\"Z\xce\xa9,a,\\\"\"");
    EXPECT_EQ(set_json(labels, 0b010, 35), "\"a\"");
    EXPECT_EQ(set_json(labels, 0, 35), "\"\"");
}

TEST(SetCharset, Utf32AndUtf16) {
    std::vector<std::string> utf32 = {std::string("\x00\x01\xd1\x1e", 4),
                                      std::string("\x00\x00\x00x", 4)};
    EXPECT_EQ(set_json(utf32, 0b11, 60), "\"\xf0\x9d\x84\x9e,x\"");  // utf32_general_ci
    std::vector<std::string> utf16 = {std::string("\xd8\x34\xdd\x1e", 4), std::string("\x00y", 2)};
    EXPECT_EQ(set_json(utf16, 0b11, 54), "\"\xf0\x9d\x84\x9e,y\"");  // utf16_general_ci
}

TEST(SetCharset, ByteCharsetsUnchanged) {
    std::vector<std::string> latin1 = {"a", "\x80"};
    EXPECT_EQ(set_json(latin1, 0b11, 8), "\"a,\xe2\x82\xac\"");  // latin1 0x80 is the euro
    std::vector<std::string> utf8 = {"x", "y"};
    EXPECT_EQ(set_json(utf8, 0b11, 45), "\"x,y\"");
}

}  // namespace
}  // namespace cdc::format
