// TABLE_MAP: per-type metadata unwrapped into ColumnDef, and every optional metadata field.
#include <gtest/gtest.h>

#include "binlog/decoder.h"
#include "event_builder.h"

namespace cdc::binlog {
namespace {

using model::ColumnType;
using test::EventBuilder;
using test::make_fde;

// Column types and their metadata bytes: LONG, VARCHAR(1020), ENUM, SET, CHAR of 512 bytes,
// BLOB, DECIMAL(10,2), BIT(10), DATETIME(3), GEOMETRY, JSON, DOUBLE, TINY, VECTOR.
EventBuilder table_map_head(uint64_t id) {
    EventBuilder b;
    b.le(id, 6).le(1, 2).u8(4).str("shop").u8(0).u8(5).str("items").u8(0).packed(14);
    b.u8(3).u8(15).u8(254).u8(254).u8(254).u8(252).u8(246).u8(16).u8(18).u8(255).u8(245).u8(5)
        .u8(1).u8(242);
    std::vector<uint8_t> meta = {0xfc, 0x03, 0xf7, 0x01, 0xf8, 0x02, 0xde, 0x00, 0x02, 0x0a, 0x02,
                                 0x02, 0x01, 0x03, 0x04, 0x04, 0x08, 0x04};
    b.packed(meta.size()).bytes(meta);
    b.u8(0xfe).u8(0x3f);  // column 0 NOT NULL
    return b;
}

void field(EventBuilder& b, uint8_t type, const EventBuilder& value) {
    b.u8(type).packed(value.size()).bytes(value.body());
}

const model::TableSchema& decode_map(BinlogDecoder& dec, const std::vector<uint8_t>& ev) {
    Result<Event> r = dec.decode(ev, 500);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    static const model::TableSchema empty;
    if (!r.ok()) return empty;
    uint64_t id = std::get<TableMapNotice>(r->body).table_id;
    return *dec.table(id);
}

// A table map of types without per-type metadata (integers, YEAR), BIT(1) as the only
// exception, and a SIGNEDNESS field with `bits`.
std::vector<uint8_t> signedness_map(uint64_t id, const std::vector<uint8_t>& types,
                                    const std::vector<uint8_t>& bits) {
    EventBuilder b;
    b.le(id, 6).le(1, 2).u8(1).str("d").u8(0).u8(1).str("t").u8(0).packed(types.size());
    EventBuilder meta;
    for (uint8_t t : types) {
        b.u8(t);
        if (t == 16) meta.u8(1).u8(0);  // BIT(1)
    }
    b.packed(meta.size()).bytes(meta.body());
    b.zeros((types.size() + 7) / 8);
    field(b, 1, EventBuilder().bytes(bits));
    return b.event(19);
}

std::vector<bool> unsigned_flags(const model::TableSchema& s) {
    std::vector<bool> out;
    for (const auto& c : s.columns) out.push_back(c.is_unsigned);
    return out;
}

// Issue 11 defect 1: (id INT, y YEAR, d INT, q SMALLINT, b BIT(1), u INT UNSIGNED). Both
// servers write a bit for YEAR (MariaDB sets it: YEAR is unsigned); reading the bitmap as if
// YEAR had none shifted every later column's bit and d = -5 came out as 4294967291.
TEST(TableMap, YearHasASignednessBitOnBothServers) {
    const std::vector<uint8_t> types = {3, 13, 3, 2, 16, 3};
    const std::vector<bool> want = {false, true, false, false, false, true};
    for (const char* version : {"10.11.6-MariaDB-log", "8.0.44"}) {
        BinlogDecoder dec;
        ASSERT_TRUE(dec.decode(make_fde(version, 0), 4).ok());
        // id 0, y 1, d 0, q 0, u 1 (BIT has no bit): 0100 1000
        const auto& s = decode_map(dec, signedness_map(97, types, {0x48}));
        EXPECT_EQ(unsigned_flags(s), want) << version;
    }
}

// MySQL releases that wrote is_numeric_type's columns (no YEAR): told apart by the bitmap's
// size when the YEAR bit would need another byte. Nine columns with bits: two bytes with
// YEAR, one without.
TEST(TableMap, OldMySqlBitmapWithoutYearIsReadByItsSize) {
    const std::vector<uint8_t> types = {13, 3, 3, 3, 3, 3, 3, 3, 8};
    BinlogDecoder dec;
    ASSERT_TRUE(dec.decode(make_fde("8.0.20", 0), 4).ok());
    const auto& s = decode_map(dec, signedness_map(98, types, {0x81}));
    EXPECT_EQ(unsigned_flags(s),
              (std::vector<bool>{false, true, false, false, false, false, false, false, true}));
    const auto& full = decode_map(dec, signedness_map(99, types, {0x40, 0x80}));
    EXPECT_EQ(unsigned_flags(full),
              (std::vector<bool>{false, true, false, false, false, false, false, false, true}));
    // MariaDB always counts YEAR: a one-byte bitmap for nine columns is malformed there.
    BinlogDecoder maria;
    ASSERT_TRUE(maria.decode(make_fde("10.11.6-MariaDB-log", 0), 4).ok());
    Result<Event> r = maria.decode(signedness_map(100, types, {0x81}), 500);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, Errc::Malformed);
}

TEST(TableMap, TypeMetadataIsNormalised) {
    BinlogDecoder dec;
    ASSERT_TRUE(dec.decode(make_fde("8.0.31", 0), 4).ok());
    const auto& s = decode_map(dec, table_map_head(91).event(19));
    ASSERT_EQ(s.columns.size(), 14u);
    EXPECT_EQ(s.table_id, 91u);
    EXPECT_EQ(s.schema, "shop");
    EXPECT_EQ(s.table, "items");
    EXPECT_FALSE(s.columns[0].nullable);
    EXPECT_TRUE(s.columns[1].nullable);
    EXPECT_EQ(s.columns[1].type, ColumnType::VarChar);
    EXPECT_EQ(s.columns[1].max_length, 1020u);
    EXPECT_EQ(s.columns[2].type, ColumnType::Enum);
    EXPECT_EQ(s.columns[2].pack_length, 1);
    EXPECT_EQ(s.columns[3].type, ColumnType::Set);
    EXPECT_EQ(s.columns[3].pack_length, 2);
    EXPECT_EQ(s.columns[4].type, ColumnType::String);
    EXPECT_EQ(s.columns[4].max_length, 512u);  // 0xDE 0x00: CHAR over 255 bytes
    EXPECT_EQ(s.columns[5].pack_length, 2);
    EXPECT_EQ(s.columns[6].precision, 10);
    EXPECT_EQ(s.columns[6].scale, 2);
    EXPECT_EQ(s.columns[7].bits, 10);
    EXPECT_EQ(s.columns[8].fsp, 3);
    EXPECT_EQ(s.columns[9].pack_length, 4);
    EXPECT_EQ(s.columns[10].pack_length, 4);
    EXPECT_EQ(s.columns[11].pack_length, 8);
    EXPECT_EQ(s.columns[13].type, ColumnType::Vector);
    EXPECT_FALSE(s.has_column_names);
}

TEST(TableMap, EveryOptionalFieldMySql) {
    BinlogDecoder dec;
    ASSERT_TRUE(dec.decode(make_fde("9.0.1", 0), 4).ok());
    EventBuilder b = table_map_head(92);
    field(b, 1, EventBuilder().u8(0x90));  // LONG, DECIMAL, DOUBLE, TINY: 1 0 0 1
    // Character columns on MySQL: VARCHAR, CHAR, BLOB, VECTOR; the BLOB (index 2) is binary.
    field(b, 2, EventBuilder().packed(255).packed(2).packed(63));
    EventBuilder names;
    const char* n[] = {"id", "v", "e", "s", "c", "b", "d", "bits", "dt", "g", "j", "f", "t", "vec"};
    for (const char* name : n) names.packed(std::string_view(name).size()).str(name);
    field(b, 4, names);
    field(b, 5, EventBuilder().packed(2).packed(1).str("a").packed(1).str("b"));
    field(b, 6, EventBuilder().packed(3).packed(1).str("x").packed(1).str("y").packed(1).str("z"));
    field(b, 7, EventBuilder().packed(1));
    field(b, 8, EventBuilder().packed(0));
    field(b, 10, EventBuilder().packed(8).packed(1).packed(33));
    field(b, 12, EventBuilder().u8(0xff).u8(0xf8));
    field(b, 13, EventBuilder().packed(3));
    const auto& s = decode_map(dec, b.event(19));
    ASSERT_EQ(s.columns.size(), 14u);
    EXPECT_TRUE(s.columns[0].is_unsigned);
    EXPECT_FALSE(s.columns[6].is_unsigned);
    EXPECT_TRUE(s.columns[12].is_unsigned);
    EXPECT_EQ(s.columns[1].collation, 255);
    EXPECT_EQ(s.columns[4].collation, 255);
    EXPECT_EQ(s.columns[5].collation, 63);
    EXPECT_EQ(s.columns[13].collation, 255);
    EXPECT_EQ(s.columns[9].collation, 0);  // GEOMETRY has no charset on MySQL
    EXPECT_TRUE(s.has_column_names);
    EXPECT_EQ(s.columns[7].name, "bits");
    EXPECT_EQ(s.columns[3].set_labels, (std::vector<std::string>{"a", "b"}));
    EXPECT_EQ(s.columns[2].enum_labels, (std::vector<std::string>{"x", "y", "z"}));
    EXPECT_EQ(s.columns[9].geometry_type, 1u);
    EXPECT_EQ(s.primary_key, (std::vector<uint32_t>{0}));
    EXPECT_EQ(s.columns[2].collation, 8);
    EXPECT_EQ(s.columns[3].collation, 33);
    EXPECT_TRUE(s.columns[12].visible);
    EXPECT_FALSE(s.columns[13].visible);
    EXPECT_EQ(s.columns[13].vector_dimensions, 3u);
}

TEST(TableMap, ColumnCharsetsAndPrefixKeysMariaDb) {
    BinlogDecoder dec;
    ASSERT_TRUE(dec.decode(make_fde("10.11.6-MariaDB-log", 0), 4).ok());
    EventBuilder b = table_map_head(93);
    // MariaDB counts GEOMETRY as a character column, not VECTOR (it has none).
    field(b, 3, EventBuilder().packed(45).packed(46).packed(63).packed(63));
    field(b, 9, EventBuilder().packed(1).packed(10).packed(0).packed(0));
    field(b, 11, EventBuilder().packed(8).packed(33));
    const auto& s = decode_map(dec, b.event(19));
    ASSERT_EQ(s.columns.size(), 14u);
    EXPECT_EQ(s.columns[1].collation, 45);
    EXPECT_EQ(s.columns[4].collation, 46);
    EXPECT_EQ(s.columns[5].collation, 63);
    EXPECT_EQ(s.columns[9].collation, 63);
    EXPECT_EQ(s.columns[2].collation, 8);
    EXPECT_EQ(s.columns[3].collation, 33);
    EXPECT_EQ(s.primary_key, (std::vector<uint32_t>{1, 0}));
}

TEST(TableMap, MismatchedListsAndBadBytesAreCleanErrors) {
    BinlogDecoder dec;
    ASSERT_TRUE(dec.decode(make_fde("8.0.31", 0), 4).ok());
    EventBuilder b = table_map_head(94);
    field(b, 3, EventBuilder().packed(45));  // one charset for four character columns
    Result<Event> r = dec.decode(b.event(19), 500);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, Errc::Malformed);
    EXPECT_NE(r.error().message.find("TABLE_MAP event at offset 500"), std::string::npos);

    auto truncated = table_map_head(95).event(19);
    truncated.resize(40);
    truncated[9] = 40;
    r = dec.decode(truncated, 600);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message.find("TABLE_MAP event at offset 600"), std::string::npos);

    EventBuilder odd;
    odd.le(96, 6).le(1, 2).u8(1).str("s").u8(0).u8(1).str("t").u8(0).packed(1).u8(100)
        .packed(0).u8(0);
    r = dec.decode(odd.event(19), 700);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, Errc::Unsupported);
    EXPECT_NE(r.error().message.find("column type 100"), std::string::npos);
}

}  // namespace
}  // namespace cdc::binlog
