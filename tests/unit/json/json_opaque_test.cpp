#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "binlog/json/json_binary.h"
#include "binlog/json/json_decimal.h"
#include "json_builder.h"

namespace cdc::binlog {
namespace {

using namespace cdc::test;

std::string render(const JVal& v) {
    std::string out;
    auto bin = jdoc(v);
    Status st = json_binary_to_text(Bytes(bin), out);
    if (!st) return "ERROR: " + st.error().message;
    return out;
}

std::vector<uint8_t> le64(int64_t v) {
    std::vector<uint8_t> out;
    put_le(out, static_cast<uint64_t>(v), 8);
    return out;
}

// TIME_to_longlong_datetime_packed / _time_packed, as MySQL stores temporal JSON values.
int64_t packed_datetime(int y, int mo, int d, int h, int mi, int s, int us) {
    int64_t ymd = ((int64_t{y} * 13 + mo) << 5) | d;
    int64_t hms = (int64_t{h} << 12) | (mi << 6) | s;
    return (((ymd << 17) | hms) << 24) + us;
}
int64_t packed_time(bool neg, int h, int mi, int s, int us) {
    int64_t v = ((int64_t{h} << 12 | mi << 6 | s) << 24) + us;
    return neg ? -v : v;
}

TEST(JsonOpaque, Temporal) {
    EXPECT_EQ(render(jopaque(10, le64(packed_datetime(2012, 3, 18, 0, 0, 0, 0)))),
              "\"2012-03-18\"");
    EXPECT_EQ(render(jopaque(12, le64(packed_datetime(2012, 3, 18, 11, 30, 45, 0)))),
              "\"2012-03-18 11:30:45.000000\"");
    EXPECT_EQ(render(jopaque(7, le64(packed_datetime(1970, 1, 1, 0, 0, 1, 500)))),
              "\"1970-01-01 00:00:01.000500\"");
    EXPECT_EQ(render(jopaque(11, le64(packed_time(false, 87, 31, 46, 654321)))),
              "\"87:31:46.654321\"");
    EXPECT_EQ(render(jopaque(11, le64(packed_time(true, 838, 59, 59, 0)))),
              "\"-838:59:59.000000\"");
    EXPECT_EQ(render(jopaque(11, le64(INT64_MIN))).substr(0, 1), "\"");  // no overflow
    EXPECT_EQ(render(jopaque(10, le64(packed_datetime(0, 0, 0, 0, 0, 0, 0)))), "\"0000-00-00\"");
    EXPECT_EQ(render(jopaque(12, {1, 2, 3})).substr(0, 5), "ERROR");
}

// What the packed bits allow beyond valid values prints as MySQL's printf does: numbers in
// full, never cut to their field's width.
TEST(JsonOpaque, TemporalBeyondValidRanges) {
    struct Case {
        uint8_t type;
        int64_t packed;
        const char* text;
    };
    for (const Case& c : {
             Case{12, packed_datetime(2012, 3, 18, 11, 30, 45, 16777215),
                  "\"2012-03-18 11:30:45.16777215\""},
             Case{10, packed_datetime(10000, 1, 1, 0, 0, 0, 0), "\"10000-01-01\""},
             Case{11, packed_time(false, 1023, 0, 0, 1000000), "\"1023:00:00.1000000\""},
             Case{11, INT64_MIN, "\"-00:00:00.000000\""},
         }) {
        EXPECT_EQ(render(jopaque(c.type, le64(c.packed))), c.text);
    }
}

std::vector<uint8_t> decimal_opaque(int precision, int scale, const std::string& hex) {
    std::vector<uint8_t> v{static_cast<uint8_t>(precision), static_cast<uint8_t>(scale)};
    auto b = from_hex(hex);
    v.insert(v.end(), b.begin(), b.end());
    return v;
}

TEST(JsonOpaque, DecimalIsANumber) {
    EXPECT_EQ(render(jopaque(246, decimal_opaque(6, 3, "807b01c8"))), "123.456");
    EXPECT_EQ(render(jopaque(246, decimal_opaque(11, 2, "8000000900"))), "9.00");
    EXPECT_EQ(render(jopaque(246, decimal_opaque(6, 3, "7f84fe37"))), "-123.456");
    EXPECT_EQ(render(jopaque(246, decimal_opaque(4, 2, "8000"))), "0.00");
    EXPECT_EQ(render(jopaque(246, decimal_opaque(4, 2, "8005"))), "0.05");
    EXPECT_EQ(render(jopaque(246, decimal_opaque(3, 0, "8001"))), "1");
    // 20 integer digits: a 2-digit group then two full words; 10 fraction digits.
    EXPECT_EQ(render(jopaque(246, decimal_opaque(30, 10,
                                                 "8c"
                                                 "075bcd15"
                                                 "3ade68b1"
                                                 "075bcd15"
                                                 "00"))),
              "12123456789987654321.1234567890");
    EXPECT_EQ(render(jopaque(246, decimal_opaque(6, 3, "807b01"))).substr(0, 5), "ERROR");
    EXPECT_EQ(render(jopaque(246, decimal_opaque(66, 0, "80"))).substr(0, 5), "ERROR");
    EXPECT_EQ(render(jopaque(246, decimal_opaque(4, 2, "e400"))).substr(0, 5), "ERROR");  // 100
    EXPECT_EQ(render(jopaque(246, {6})).substr(0, 5), "ERROR");
}

TEST(JsonOpaque, DecimalTextDirect) {
    using json::append_binary_decimal;
    using json::binary_decimal_size;
    std::string out;
    std::vector<uint8_t> b = from_hex("7ffffffffe");  // DECIMAL(10,0) = -1 (one word + 1 byte)
    EXPECT_EQ(binary_decimal_size(10, 0), 5u);
    EXPECT_TRUE(append_binary_decimal(out, Bytes(b), 10, 0));
    EXPECT_EQ(out, "-1");
    out = "x";
    EXPECT_FALSE(append_binary_decimal(out, Bytes(b), 10, 3));  // 6 bytes
    EXPECT_EQ(out, "x");
}

TEST(JsonOpaque, OtherTypesAreBase64LikeMySql) {
    EXPECT_EQ(render(jopaque(15, {'U'})), "\"base64:type15:VQ==\"");
    EXPECT_EQ(render(jopaque(252, {})), "\"base64:type252:\"");
    EXPECT_EQ(render(jopaque(252, {1, 2})), "\"base64:type252:AQI=\"");
    // MySQL's base64 breaks lines after 76 characters: 60 bytes -> 80 characters.
    std::vector<uint8_t> data(60, 0xff);
    std::string expected = "\"base64:type252:" + std::string(76, '/') + "\\n////\"";
    EXPECT_EQ(render(jopaque(252, data)), expected);
}

TEST(JsonOpaque, VarStringIsAString) {
    EXPECT_EQ(render(jopaque(253, {'h', 'i', '"'})), "\"hi\\\"\"");
}

TEST(JsonOpaque, OpaqueLengthsChecked) {
    std::vector<uint8_t> doc{0x0f, 15, 0x05, 'a'};
    std::string out;
    EXPECT_FALSE(json_binary_to_text(Bytes(doc), out));
    doc = {0x0f};
    EXPECT_FALSE(json_binary_to_text(Bytes(doc), out));
}

// The eight single-row inserts of rust_mysql_common/json-opaque.binlog (MySQL 9.0.1): each
// WRITE_ROWS_V2 at these offsets holds one JSON column; its 4-byte length sits 32 bytes in.
TEST(JsonOpaque, FixtureJsonOpaqueBinlog) {
    std::ifstream f(CDC_FIXTURES_DIR "/rust_mysql_common/json-opaque.binlog", std::ios::binary);
    ASSERT_TRUE(f.good());
    std::vector<uint8_t> file((std::istreambuf_iterator<char>(f)), {});
    const size_t offsets[] = {736, 846, 963, 1080, 1197, 1312, 1428, 1551};
    const char* expected[] = {
        R"({"a": "base64:type15:VQ=="})",
        R"({"b": "2012-03-18"})",
        R"({"c": "2012-03-18 11:30:45.000000"})",
        R"({"c": "87:31:46.654321"})",
        R"({"d": 123.456})",
        R"({"e": 9.00})",
        R"({"e": [0, 1, true, false]})",
        R"({"e": null})",
    };
    for (size_t i = 0; i < 8; ++i) {
        ASSERT_EQ(file[offsets[i] + 4], 30) << "not a WRITE_ROWS_V2 at " << offsets[i];
        const size_t at = offsets[i] + 32;
        const uint32_t len = file[at] | file[at + 1] << 8 | file[at + 2] << 16 | file[at + 3] << 24;
        std::string out;
        Status st = json_binary_to_text(Bytes(file.data() + at + 4, len), out);
        ASSERT_TRUE(st) << st.error().message;
        EXPECT_EQ(out, expected[i]);
    }
}

}  // namespace
}  // namespace cdc::binlog
