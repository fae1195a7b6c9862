// DECIMAL ZEROFILL read by a snapshot: the server's text is padded to the display width, the
// binlog's binary DECIMAL is not; both must render the same value text (issue 5: a
// snapshot_insert is byte for byte the binlog rendering of its row).
#include <gtest/gtest.h>

#include "format/decimal_text.h"
#include "format/value_json.h"
#include "model/value.h"

namespace cdc::format {
namespace {

using model::Value;
using model::ValueKind;

std::string json_of_text(std::string_view text) {
    Value v;
    v.kind = ValueKind::DecimalText;
    v.bytes = text;
    std::string out;
    append_value_json(v, out);
    return out;
}

TEST(DecimalZerofill, PaddingIsDropped) {
    EXPECT_EQ(json_of_text("0000000031"), "\"31\"");  // DECIMAL(10,0) ZEROFILL
    EXPECT_EQ(json_of_text("0000000000"), "\"0\"");
    EXPECT_EQ(json_of_text("04.70"), "\"4.70\"");  // DECIMAL(4,2) ZEROFILL
    EXPECT_EQ(json_of_text("00.01"), "\"0.01\"");
    EXPECT_EQ(json_of_text("0.000000000000000000000000000001"),
              "\"0.000000000000000000000000000001\"");  // DECIMAL(30,30): nothing to drop
}

TEST(DecimalZerofill, UnpaddedTextUnchanged) {
    EXPECT_EQ(json_of_text("12.30"), "\"12.30\"");
    EXPECT_EQ(json_of_text("-0.001"), "\"-0.001\"");
    EXPECT_EQ(json_of_text("0"), "\"0\"");
    EXPECT_EQ(strip_decimal_zerofill("100"), "100");
    EXPECT_EQ(strip_decimal_zerofill(""), "");
}

}  // namespace
}  // namespace cdc::format
