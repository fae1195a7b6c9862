// Strings and blobs: length prefix by max_length (CHAR/VARCHAR) or pack_length (BLOB family),
// then bytes in the column's charset; binary collation (63) means bytes, rendered base64.
#include "unit/values/decode_helpers.h"

namespace cdc::testing {
namespace {

ColumnDef varchar(uint32_t max_length, uint16_t collation) {
    ColumnDef c = column(ColumnType::VarChar);
    c.max_length = max_length;
    c.collation = collation;
    return c;
}

ColumnDef blob(uint8_t pack_length, uint16_t collation, ColumnType t = ColumnType::Blob) {
    ColumnDef c = column(t);
    c.pack_length = pack_length;
    c.collation = collation;
    return c;
}

ByteVec prefixed(ByteVec prefix, const std::string& s) {
    prefix.insert(prefix.end(), s.begin(), s.end());
    return prefix;
}

constexpr uint16_t kUtf8mb4 = 255;  // utf8mb4_0900_ai_ci
constexpr uint16_t kLatin1 = 8;     // latin1_swedish_ci
constexpr uint16_t kBinary = 63;

TEST(StringValues, ShortPrefixUtf8) {
    ColumnDef c = varchar(40, kUtf8mb4);  // VARCHAR(10) utf8mb4: 40 bytes < 256
    expect_json(c, prefixed({5}, "hello"), "\"hello\"");
    expect_json(c, prefixed({3}, "\xe2\x82\xac"), "\"\xe2\x82\xac\"");            // €
    expect_json(c, prefixed({4}, "\xf0\x9d\x84\x9e"), "\"\xf0\x9d\x84\x9e\"");    // 𝄞
    expect_json(c, {0}, "\"\"");  // the empty string, unlike NULL, is a value
    Decoded d = decode(c, prefixed({2}, "ab"));
    EXPECT_EQ(d.value.kind, model::ValueKind::Text);
    EXPECT_EQ(d.value.collation, kUtf8mb4);
}

TEST(StringValues, LongPrefixWhenMaxLengthAtLeast256) {
    ColumnDef c = varchar(256, kLatin1);
    expect_json(c, prefixed({3, 0}, "abc"), "\"abc\"");
    std::string big(300, 'x');
    expect_json(varchar(1200, kUtf8mb4), prefixed({0x2c, 0x01}, big), "\"" + big + "\"");
    ColumnDef chr = column(ColumnType::String);  // CHAR(255) utf8mb4: 1020 bytes
    chr.max_length = 1020;
    chr.collation = kUtf8mb4;
    expect_json(chr, prefixed({1, 0}, "a"), "\"a\"");
}

TEST(StringValues, Latin1IsCp1252) {
    expect_json(varchar(10, kLatin1), prefixed({2}, "\x80\xe9"), "\"\xe2\x82\xac\xc3\xa9\"");
}

TEST(StringValues, BinaryIsBase64AndBinaryCharIsPadded) {
    expect_json(varchar(10, kBinary), prefixed({1}, "a"), "\"YQ==\"");  // VARBINARY: as is
    ColumnDef bin = column(ColumnType::String);                         // BINARY(4)
    bin.max_length = 4;
    bin.collation = kBinary;
    // The server strips the trailing 0x00s; SELECT shows all 4 bytes: 'a\0\0\0'.
    expect_json(bin, prefixed({1}, "a"), "\"YQAAAA==\"");
    expect_json(bin, prefixed({4}, "abcd"), "\"YWJjZA==\"");
    EXPECT_EQ(decode(bin, prefixed({1}, "a")).value.kind, model::ValueKind::Bytes);
}

TEST(StringValues, ControlCharactersAreEscaped) {
    expect_json(varchar(20, kUtf8mb4), prefixed({6}, std::string("\x01\n\t\"\\\x1f", 6)),
                "\"\\u0001\\n\\t\\\"\\\\\\u001f\"");
}

TEST(StringValues, TruncatedFails) {
    expect_error(varchar(40, kUtf8mb4), prefixed({5}, "abc"), Errc::Truncated);
    expect_error(varchar(300, kUtf8mb4), {3}, Errc::Truncated);
}

TEST(BlobValues, PrefixWidthAndCharset) {
    expect_json(blob(1, kBinary), prefixed({3}, "foo"), "\"Zm9v\"");
    expect_json(blob(2, kUtf8mb4), prefixed({3, 0}, "foo"), "\"foo\"");
    expect_json(blob(3, 45), prefixed({3, 0, 0}, "foo"), "\"foo\"");
    expect_json(blob(4, kLatin1), prefixed({1, 0, 0, 0}, "\xe9"), "\"\xc3\xa9\"");
    // Collation unknown (no optional metadata): text, shown as UTF-8 where it is valid.
    expect_json(blob(2, 0), prefixed({2, 0}, "hi"), "\"hi\"");
    expect_json(blob(2, 0), prefixed({1, 0}, "\xff"), "\"\xef\xbf\xbd\"");
    expect_json(blob(2, kBinary), {0, 0}, "\"\"");
    // pack_length missing from metadata: taken from the type.
    expect_json(blob(0, kUtf8mb4, ColumnType::TinyBlob), prefixed({2}, "ab"), "\"ab\"");
    expect_error(blob(5, kBinary), {1, 0, 0, 0, 0, 'a'}, Errc::Malformed);
    expect_error(blob(4, kBinary), {0xff, 0xff, 0xff, 0xff, 'a'}, Errc::Truncated);
}

TEST(BlobValues, GeometryIsAlwaysBytes) {
    // SRID 0 + WKB POINT(1 2), little-endian.
    ByteVec wkb = {0, 0, 0, 0, 0x01, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f,
                   0, 0, 0, 0, 0, 0, 0, 0x40};
    ByteVec bytes = {static_cast<uint8_t>(wkb.size()), 0, 0, 0};
    bytes.insert(bytes.end(), wkb.begin(), wkb.end());
    expect_json(blob(4, kUtf8mb4, ColumnType::Geometry), bytes,
                "\"AAAAAAEBAAAAAAAAAAAA8D8AAAAAAAAAQA==\"");
}

TEST(BlobValues, VectorIsFloat32Array) {
    ColumnDef v = blob(4, 0, ColumnType::Vector);
    // vector.binlog fixture: [1.1, 2.2, 3.3] and [1.0, -1.0, 0.0].
    expect_json(v, {12, 0, 0, 0, 0xcd, 0xcc, 0x8c, 0x3f, 0xcd, 0xcc, 0x0c, 0x40, 0x33, 0x33,
                    0x53, 0x40},
                "[1.1,2.2,3.3]");
    expect_json(v, {12, 0, 0, 0, 0, 0, 0x80, 0x3f, 0, 0, 0x80, 0xbf, 0, 0, 0, 0}, "[1,-1,0]");
    expect_json(v, {0, 0, 0, 0}, "[]");
    expect_error(v, {5, 0, 0, 0, 1, 2, 3, 4, 5}, Errc::Malformed);
}

TEST(BlobValues, JsonGoesThroughBinaryJsonDecoder) {
    ColumnDef j = blob(4, kBinary, ColumnType::Json);
    // Binary JSON: type 0x04 (literal), value 0x01 (true).
    expect_json(j, {2, 0, 0, 0, 0x04, 0x01}, "true");
    Decoded d = decode(j, {2, 0, 0, 0, 0x04, 0x02});
    EXPECT_EQ(d.value.kind, model::ValueKind::JsonText);
    EXPECT_EQ(d.json, "false");
    expect_error(j, {2, 0, 0, 0, 0x04}, Errc::Truncated);
}

}  // namespace
}  // namespace cdc::testing
