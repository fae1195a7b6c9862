// BIT: (M+7)/8 bytes big-endian, an unsigned number. ENUM: 1-based index (LE) rendered as its
// label. SET: LE bitmask rendered as the comma-joined labels of its bits, lowest first.
#include "unit/values/decode_helpers.h"

namespace cdc::testing {
namespace {

ColumnDef bit(unsigned bits) {
    ColumnDef c = column(ColumnType::Bit);
    c.bits = static_cast<uint8_t>(bits);
    return c;
}

ColumnDef enum_column(uint8_t pack_length, std::vector<std::string> labels) {
    ColumnDef c = column(ColumnType::Enum);
    c.pack_length = pack_length;
    c.enum_labels = std::move(labels);
    return c;
}

ColumnDef set_column(uint8_t pack_length, std::vector<std::string> labels) {
    ColumnDef c = column(ColumnType::Set);
    c.pack_length = pack_length;
    c.set_labels = std::move(labels);
    return c;
}

TEST(BitValues, BigEndianUnsigned) {
    expect_json(bit(1), {0x00}, "0");
    expect_json(bit(1), {0x01}, "1");
    expect_json(bit(3), {0x04}, "4");      // b'100' (mysql_type_bit fixture)
    expect_json(bit(8), {0x20}, "32");     // b'00100000'
    expect_json(bit(10), {0x02, 0xff}, "767");
    expect_json(bit(28), {0x0a, 0xbc, 0xde, 0xf1}, "180150001");
    expect_json(bit(64), ByteVec(8, 0xff), "18446744073709551615");
    expect_json(bit(64), {0x80, 0, 0, 0, 0, 0, 0, 0}, "9223372036854775808");
    EXPECT_EQ(decode(bit(1), {1}).value.kind, model::ValueKind::Bit);
    expect_error(bit(0), {0}, Errc::Malformed);
    expect_error(bit(65), ByteVec(9, 0), Errc::Malformed);
    expect_error(bit(9), {0x01}, Errc::Truncated);
}

TEST(EnumValues, LabelsWhenKnown) {
    ColumnDef e = enum_column(1, {"small", "medium", "large"});
    expect_json(e, {1}, "\"small\"");
    expect_json(e, {3}, "\"large\"");
    expect_json(e, {0}, "\"\"");  // index 0 is the '' error value
    expect_json(e, {9}, "9");     // out of range: the number is all we know
    ColumnDef e2 = enum_column(2, std::vector<std::string>(300, "x"));
    e2.enum_labels[256] = "two-five-seven";
    expect_json(e2, {0x01, 0x01}, "\"two-five-seven\"");
}

TEST(EnumValues, IndexWithoutLabels) {
    expect_json(enum_column(1, {}), {2}, "2");
    expect_json(enum_column(2, {}), {0x01, 0x01}, "257");
    EXPECT_EQ(decode(enum_column(1, {}), {2}).value.kind, model::ValueKind::Enum);
    expect_error(enum_column(3, {}), {1, 0, 0}, Errc::Malformed);
}

TEST(EnumValues, LabelsInColumnCharset) {
    ColumnDef e = enum_column(1, {"caf\xe9"});  // latin1 label bytes
    e.collation = 8;
    expect_json(e, {1}, "\"caf\xc3\xa9\"");
}

TEST(SetValues, JoinedLabelsInBitOrder) {
    ColumnDef s = set_column(1, {"a", "b", "c", "d"});
    expect_json(s, {0x05}, "\"a,c\"");   // 0b0101
    expect_json(s, {0x0a}, "\"b,d\"");   // 0b1010
    expect_json(s, {0x0f}, "\"a,b,c,d\"");
    expect_json(s, {0x00}, "\"\"");
    expect_json(s, {0x08}, "\"d\"");
}

TEST(SetValues, BitmaskWithoutLabels) {
    expect_json(set_column(1, {}), {0x05}, "5");
    expect_json(set_column(8, {}), {0, 0, 0, 0, 0, 0, 0, 0x80}, "9223372036854775808");
    expect_json(set_column(2, {}), {0x00, 0x01}, "256");
    std::vector<std::string> labels;
    for (int i = 0; i < 64; ++i) labels.push_back("v" + std::to_string(i));
    expect_json(set_column(8, labels), {0x01, 0, 0, 0, 0, 0, 0, 0x80}, "\"v0,v63\"");
    expect_error(set_column(9, {}), ByteVec(9, 0), Errc::Malformed);
    expect_error(set_column(0, {}), {}, Errc::Malformed);
}

TEST(OtherTypes, NullAndUnsupported) {
    expect_json(column(ColumnType::Null), {}, "null");
    expect_error(column(ColumnType::Decimal), {0, 0}, Errc::Unsupported);
    expect_error(column(ColumnType::TypedArray), {0, 0}, Errc::Unsupported);
    expect_error(column(static_cast<ColumnType>(100)), {0}, Errc::Unsupported);
    Decoded d = decode(column(ColumnType::TypedArray), {0});
    EXPECT_NE(d.message.find("TYPED_ARRAY"), std::string::npos) << d.message;
}

}  // namespace
}  // namespace cdc::testing
