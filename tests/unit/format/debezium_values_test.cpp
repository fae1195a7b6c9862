// Debezium's rendering of each MySQL column type: the value (debezium_values.h) and the field
// schema (debezium_types.h), against Debezium's documented MySQL type mapping.
#include "format/debezium_values.h"

#include <gtest/gtest.h>

#include "format/debezium_types.h"

namespace cdc::format {
namespace {

using model::ColumnDef;
using model::ColumnType;
using model::Value;
using model::ValueKind;

ColumnDef col(ColumnType type, bool nullable = true) {
    ColumnDef c;
    c.type = type;
    c.nullable = nullable;
    return c;
}

std::string render(const ColumnDef& c, const Value& v,
                   DecimalHandling decimal = DecimalHandling::Precise) {
    std::string out;
    append_debezium_value(classify_debezium_column(c, decimal), v, out);
    return out;
}

std::string schema(const ColumnDef& c, DecimalHandling decimal = DecimalHandling::Precise) {
    std::string out;
    append_debezium_field_schema(c, classify_debezium_column(c, decimal), "c", out);
    return out;
}

Value uint_value(ValueKind kind, uint64_t u) {
    Value v;
    v.kind = kind;
    v.u = u;
    return v;
}

Value datetime(uint16_t y, uint8_t mo, uint8_t d, uint8_t h, uint8_t mi, uint8_t s, uint32_t us,
               uint8_t fsp) {
    Value v;
    v.kind = ValueKind::DateTime;
    v.datetime = {y, mo, d, h, mi, s, us};
    v.fsp = fsp;
    return v;
}

TEST(DebeziumValues, IntegersAndTheirConnectTypes) {
    ColumnDef tiny = col(ColumnType::Tiny);
    EXPECT_EQ(render(tiny, Value::of_int(-5)), "-5");
    EXPECT_EQ(schema(tiny), R"({"type":"int16","optional":true,"field":"c"})");
    ColumnDef small_unsigned = col(ColumnType::Short, false);
    small_unsigned.is_unsigned = true;
    EXPECT_EQ(render(small_unsigned, Value::of_uint(65535)), "65535");
    EXPECT_EQ(schema(small_unsigned), R"({"type":"int32","optional":false,"field":"c"})");
    ColumnDef medium = col(ColumnType::Int24);
    EXPECT_EQ(schema(medium), R"({"type":"int32","optional":true,"field":"c"})");
    ColumnDef int_unsigned = col(ColumnType::Long);
    int_unsigned.is_unsigned = true;
    EXPECT_EQ(render(int_unsigned, Value::of_uint(4294967295U)), "4294967295");
    EXPECT_EQ(schema(int_unsigned), R"({"type":"int64","optional":true,"field":"c"})");
    EXPECT_EQ(schema(col(ColumnType::Long)), R"({"type":"int32","optional":true,"field":"c"})");
    // bigint.unsigned.handling.mode=long: Java's long, so 2^64-1 reads as -1.
    ColumnDef big_unsigned = col(ColumnType::LongLong);
    big_unsigned.is_unsigned = true;
    EXPECT_EQ(render(big_unsigned, Value::of_uint(18446744073709551615ULL)), "-1");
    EXPECT_EQ(render(big_unsigned, Value::of_uint(42)), "42");
    EXPECT_EQ(schema(big_unsigned), R"({"type":"int64","optional":true,"field":"c"})");
    EXPECT_EQ(render(tiny, Value::null()), "null");
    EXPECT_EQ(render(tiny, Value::absent()), "null");
}

TEST(DebeziumValues, FloatingPoint) {
    Value f;
    f.kind = ValueKind::Float;
    f.f = 1.5f;
    EXPECT_EQ(render(col(ColumnType::Float), f), "1.5");
    EXPECT_EQ(schema(col(ColumnType::Float)), R"({"type":"float","optional":true,"field":"c"})");
    Value d;
    d.kind = ValueKind::Double;
    d.d = 0.1;
    EXPECT_EQ(render(col(ColumnType::Double), d), "0.1");
    EXPECT_EQ(schema(col(ColumnType::Double)), R"({"type":"double","optional":true,"field":"c"})");
}

TEST(DebeziumValues, BitOneIsBooleanWiderBitsAreLittleEndianBytes) {
    ColumnDef bit1 = col(ColumnType::Bit);
    bit1.bits = 1;
    EXPECT_EQ(render(bit1, uint_value(ValueKind::Bit, 1)), "true");
    EXPECT_EQ(render(bit1, uint_value(ValueKind::Bit, 0)), "false");
    EXPECT_EQ(schema(bit1), R"({"type":"boolean","optional":true,"field":"c"})");
    ColumnDef bit12 = col(ColumnType::Bit);
    bit12.bits = 12;
    // 0x0102: bytes 02 01 (least significant first), two bytes for 12 bits.
    EXPECT_EQ(render(bit12, uint_value(ValueKind::Bit, 0x0102)), "\"AgE=\"");
    EXPECT_EQ(render(bit12, uint_value(ValueKind::Bit, 0)), "\"AAA=\"");
    EXPECT_EQ(schema(bit12),
              R"({"type":"bytes","optional":true,"name":"io.debezium.data.Bits","version":1,)"
              R"("parameters":{"length":"12"},"field":"c"})");
}

TEST(DebeziumValues, DateIsDaysSinceTheEpoch) {
    Value v;
    v.kind = ValueKind::Date;
    v.date = {2024, 1, 31};
    EXPECT_EQ(render(col(ColumnType::Date), v), "19753");
    v.date = {1969, 12, 31};
    EXPECT_EQ(render(col(ColumnType::Date), v), "-1");
    EXPECT_EQ(schema(col(ColumnType::Date)),
              R"({"type":"int32","optional":true,"name":"io.debezium.time.Date","version":1,)"
              R"("field":"c"})");
    // Zero dates: null when the column allows it, else the epoch day.
    v.date = {0, 0, 0};
    EXPECT_EQ(render(col(ColumnType::Date), v), "null");
    EXPECT_EQ(render(col(ColumnType::Date, false), v), "0");
    v.date = {2024, 0, 5};
    EXPECT_EQ(render(col(ColumnType::Date), v), "null");
}

TEST(DebeziumValues, TimeIsSignedMicroseconds) {
    Value v;
    v.kind = ValueKind::Time;
    v.time = {false, 13, 45, 7, 120000};
    EXPECT_EQ(render(col(ColumnType::Time2), v), "49507120000");
    v.time = {true, 838, 59, 59, 0};
    EXPECT_EQ(render(col(ColumnType::Time2), v), "-3020399000000");
    EXPECT_EQ(schema(col(ColumnType::Time2)),
              R"({"type":"int64","optional":true,"name":"io.debezium.time.MicroTime",)"
              R"("version":1,"field":"c"})");
}

TEST(DebeziumValues, DatetimeIsEpochMillisUpToFsp3ThenMicros) {
    // The documentation's example: DATETIME 2018-06-20 06:37:03 becomes 1529476623000.
    ColumnDef dt0 = col(ColumnType::DateTime2);
    EXPECT_EQ(render(dt0, datetime(2018, 6, 20, 6, 37, 3, 0, 0)), "1529476623000");
    EXPECT_EQ(schema(dt0), R"({"type":"int64","optional":true,"name":"io.debezium.time.Timestamp",)"
                           R"("version":1,"field":"c"})");
    ColumnDef dt3 = col(ColumnType::DateTime2);
    dt3.fsp = 3;
    EXPECT_EQ(render(dt3, datetime(2018, 6, 20, 6, 37, 3, 120000, 3)), "1529476623120");
    ColumnDef dt6 = col(ColumnType::DateTime2);
    dt6.fsp = 6;
    EXPECT_EQ(render(dt6, datetime(2018, 6, 20, 6, 37, 3, 123456, 6)), "1529476623123456");
    EXPECT_EQ(schema(dt6),
              R"({"type":"int64","optional":true,"name":"io.debezium.time.MicroTimestamp",)"
              R"("version":1,"field":"c"})");
    EXPECT_EQ(render(dt6, datetime(0, 0, 0, 0, 0, 0, 0, 6)), "null");
    EXPECT_EQ(render(col(ColumnType::DateTime2, false), datetime(0, 0, 0, 0, 0, 0, 0, 0)), "0");
    EXPECT_EQ(render(dt0, datetime(1969, 12, 31, 23, 59, 59, 0, 0)), "-1000");
}

TEST(DebeziumValues, TimestampIsAnIsoStringInUtcAsStreamedOrSnapshotted) {
    // The documentation's example: 2018-06-20 13:37:03 UTC is "2018-06-20T13:37:03Z".
    ColumnDef ts = col(ColumnType::Timestamp2);
    Value streamed;
    streamed.kind = ValueKind::Timestamp;
    streamed.timestamp = {1529501823, 0};
    EXPECT_EQ(render(ts, streamed), R"("2018-06-20T13:37:03Z")");
    // A snapshot reads a TIMESTAMP as the DATETIME of its parts in UTC: same text.
    EXPECT_EQ(render(ts, datetime(2018, 6, 20, 13, 37, 3, 0, 0)), R"("2018-06-20T13:37:03Z")");
    ColumnDef ts3 = col(ColumnType::Timestamp2);
    ts3.fsp = 3;
    streamed.timestamp = {1529501823, 120000};
    streamed.fsp = 3;
    EXPECT_EQ(render(ts3, streamed), R"("2018-06-20T13:37:03.120Z")");
    EXPECT_EQ(schema(ts),
              R"({"type":"string","optional":true,"name":"io.debezium.time.ZonedTimestamp",)"
              R"("version":1,"field":"c"})");
    streamed.timestamp = {0, 0};
    EXPECT_EQ(render(ts, streamed), "null");
    EXPECT_EQ(render(col(ColumnType::Timestamp2, false), streamed), R"("1970-01-01T00:00:00Z")");
}

TEST(DebeziumValues, YearIsInt32) {
    EXPECT_EQ(render(col(ColumnType::Year), uint_value(ValueKind::Year, 2024)), "2024");
    EXPECT_EQ(schema(col(ColumnType::Year)),
              R"({"type":"int32","optional":true,"name":"io.debezium.time.Year","version":1,)"
              R"("field":"c"})");
}

TEST(DebeziumValues, StringsEnumsAndSets) {
    ColumnDef vc = col(ColumnType::VarChar);
    vc.collation = 255;
    EXPECT_EQ(render(vc, Value::of_text("a\"b", 255)), R"("a\"b")");
    EXPECT_EQ(schema(vc), R"({"type":"string","optional":true,"field":"c"})");
    // latin1 is converted to UTF-8.
    EXPECT_EQ(render(vc, Value::of_text("\xe9", 8)), "\"\xc3\xa9\"");

    ColumnDef e = col(ColumnType::Enum);
    e.enum_labels = {"small", "large"};
    Value ev = uint_value(ValueKind::Enum, 2);
    ev.labels = &e.enum_labels;
    EXPECT_EQ(render(e, ev), R"("large")");
    // A snapshot reads the label as text: same JSON.
    EXPECT_EQ(render(e, Value::of_text("large", 45)), R"("large")");
    EXPECT_EQ(schema(e),
              R"({"type":"string","optional":true,"name":"io.debezium.data.Enum","version":1,)"
              R"("parameters":{"allowed":"small,large"},"field":"c"})");

    ColumnDef s = col(ColumnType::Set);
    s.set_labels = {"a", "b", "c"};
    Value sv = uint_value(ValueKind::Set, 0b101);
    sv.labels = &s.set_labels;
    EXPECT_EQ(render(s, sv), R"("a,c")");
    EXPECT_EQ(schema(s), R"({"type":"string","optional":true,"name":"io.debezium.data.EnumSet",)"
                         R"("version":1,"parameters":{"allowed":"a,b,c"},"field":"c"})");
}

TEST(DebeziumValues, BinaryIsBase64Bytes) {
    ColumnDef vb = col(ColumnType::VarChar);
    vb.collation = model::kBinaryCollation;
    EXPECT_EQ(render(vb, Value::of_bytes(std::string_view("\x00\xff", 2))), R"("AP8=")");
    EXPECT_EQ(schema(vb), R"({"type":"bytes","optional":true,"field":"c"})");
    ColumnDef blob = col(ColumnType::Blob);
    blob.collation = model::kBinaryCollation;
    EXPECT_EQ(schema(blob), R"({"type":"bytes","optional":true,"field":"c"})");
    ColumnDef text = col(ColumnType::Blob);
    text.collation = 45;
    EXPECT_EQ(schema(text), R"({"type":"string","optional":true,"field":"c"})");
}

TEST(DebeziumValues, JsonIsTheDocumentAsAString) {
    Value j;
    j.kind = ValueKind::JsonText;
    j.bytes = R"({"a": [1, "x"]})";
    EXPECT_EQ(render(col(ColumnType::Json), j), R"("{\"a\": [1, \"x\"]}")");
    EXPECT_EQ(schema(col(ColumnType::Json)),
              R"({"type":"string","optional":true,"name":"io.debezium.data.Json","version":1,)"
              R"("field":"c"})");
}

TEST(DebeziumValues, GeometryIsWkbAndSrid) {
    // POINT(1 2) with SRID 4326: the SRID (LE) then the WKB.
    std::string g("\xe6\x10\x00\x00", 4);
    std::string wkb("\x01\x01\x00\x00\x00", 5);
    wkb += std::string("\x00\x00\x00\x00\x00\x00\xf0\x3f", 8);
    wkb += std::string("\x00\x00\x00\x00\x00\x00\x00\x40", 8);
    g += wkb;
    EXPECT_EQ(render(col(ColumnType::Geometry), Value::of_bytes(g)),
              R"({"wkb":"AQEAAAAAAAAAAADwPwAAAAAAAABA","srid":4326})");
    std::string no_srid(4, '\0');
    no_srid += wkb;
    EXPECT_EQ(render(col(ColumnType::Geometry), Value::of_bytes(no_srid)),
              R"({"wkb":"AQEAAAAAAAAAAADwPwAAAAAAAABA","srid":null})");
    EXPECT_EQ(schema(col(ColumnType::Geometry, false)),
              R"({"type":"struct","fields":[{"type":"bytes","optional":false,"field":"wkb"},)"
              R"({"type":"int32","optional":true,"field":"srid"}],"optional":false,)"
              R"("name":"io.debezium.data.geometry.Geometry","version":1,"doc":"Geometry",)"
              R"("field":"c"})");
}

TEST(DebeziumValues, PointAddsItsCoordinates) {
    ColumnDef point = col(ColumnType::Geometry);
    point.geometry_type = 1;  // POINT
    std::string g("\xe6\x10\x00\x00", 4);
    g += std::string("\x01\x01\x00\x00\x00", 5);
    g += std::string("\x00\x00\x00\x00\x00\x00\xf8\xbf", 8);  // -1.5
    g += std::string("\x00\x00\x00\x00\x00\x00\x00\x40", 8);  // 2
    EXPECT_EQ(render(point, Value::of_bytes(g)),
              R"({"x":-1.5,"y":2,"wkb":"AQEAAAAAAAAAAAD4vwAAAAAAAABA","srid":4326})");
    // Big-endian WKB.
    std::string be("\x00\x00\x00\x00\x00\x00\x00\x00\x01", 9);
    be += std::string("\x3f\xf0\x00\x00\x00\x00\x00\x00", 8);  // 1
    be += std::string("\x40\x00\x00\x00\x00\x00\x00\x00", 8);  // 2
    EXPECT_EQ(render(point, Value::of_bytes(be)).substr(0, 16), R"({"x":1,"y":2,"wk)");
    EXPECT_EQ(schema(point),
              R"({"type":"struct","fields":[{"type":"double","optional":false,"field":"x"},)"
              R"({"type":"double","optional":false,"field":"y"},)"
              R"({"type":"bytes","optional":true,"field":"wkb"},)"
              R"({"type":"int32","optional":true,"field":"srid"}],"optional":true,)"
              R"j("name":"io.debezium.data.geometry.Point","version":1,"doc":"Geometry (POINT)",)j"
              R"("field":"c"})");
}

TEST(DebeziumValues, DecimalInEachHandlingMode) {
    ColumnDef d = col(ColumnType::NewDecimal);
    d.precision = 10;
    d.scale = 2;
    Value text;  // as a snapshot reads it
    text.kind = ValueKind::DecimalText;
    text.bytes = "-12.30";
    text.precision = 10;
    text.scale = 2;
    // -1230 = 0xFB32 in two's complement.
    EXPECT_EQ(render(d, text), R"("+zI=")");
    EXPECT_EQ(render(d, text, DecimalHandling::String), R"("-12.30")");
    EXPECT_EQ(render(d, text, DecimalHandling::Double), "-12.3");
    EXPECT_EQ(schema(d),
              R"({"type":"bytes","optional":true,"name":"org.apache.kafka.connect.data.Decimal",)"
              R"("version":1,"parameters":{"scale":"2","connect.decimal.precision":"10"},)"
              R"("field":"c"})");
    EXPECT_EQ(schema(d, DecimalHandling::String),
              R"({"type":"string","optional":true,"field":"c"})");
    EXPECT_EQ(schema(d, DecimalHandling::Double),
              R"({"type":"double","optional":true,"field":"c"})");
}

TEST(DebeziumValues, BinaryDecimalFromTheBinlogRendersLikeItsText) {
    // MySQL's binary DECIMAL(10,2) 1234.56: 8 integer digits in 4 bytes + 2 in 1, sign bit set.
    // Integer part 1234 -> 0x80 0x00 0x04 0xD2 (first byte's top bit flipped), fraction 56 -> 0x38.
    const char bin[] = {'\x80', '\x00', '\x04', '\xD2', '\x38'};
    Value v;
    v.kind = ValueKind::Decimal;
    v.bytes = std::string_view(bin, 5);
    v.precision = 10;
    v.scale = 2;
    ColumnDef d = col(ColumnType::NewDecimal);
    d.precision = 10;
    d.scale = 2;
    EXPECT_EQ(render(d, v, DecimalHandling::String), R"("1234.56")");
    // 123456 = 0x01E240.
    EXPECT_EQ(render(d, v), R"("AeJA")");
}

TEST(DebeziumValues, UnknownTypesRenderByTheValueKind) {
    ColumnDef unknown;  // ColumnType::Null
    EXPECT_EQ(render(unknown, Value::of_int(7)), "7");
    EXPECT_EQ(render(unknown, Value::of_text("x", 45)), R"("x")");
    Value ts;
    ts.kind = ValueKind::Timestamp;
    ts.timestamp = {1529501823, 0};
    EXPECT_EQ(render(unknown, ts), R"("2018-06-20T13:37:03Z")");
}

TEST(DebeziumValues, DaysFromCivil) {
    EXPECT_EQ(days_from_civil(1970, 1, 1), 0);
    EXPECT_EQ(days_from_civil(2000, 3, 1), 11017);
    EXPECT_EQ(days_from_civil(1, 1, 1), -719162);
}

}  // namespace
}  // namespace cdc::format
