// Integers are little-endian two's complement; the table map's signedness picks Int or UInt.
// Expected values are the documented ranges of each type (MySQL manual, "Integer Types").
#include "unit/values/decode_helpers.h"

namespace cdc::testing {
namespace {

struct IntCase {
    const char* name;
    ColumnType type;
    bool is_unsigned;
    ByteVec bytes;
    const char* json;
};

class IntegerValues : public ::testing::TestWithParam<IntCase> {};

TEST_P(IntegerValues, Decodes) {
    const IntCase& c = GetParam();
    ColumnDef col = column(c.type);
    col.is_unsigned = c.is_unsigned;
    expect_json(col, c.bytes, c.json);
    EXPECT_EQ(decode(col, c.bytes).value.kind,
              c.is_unsigned ? model::ValueKind::UInt : model::ValueKind::Int);
}

const IntCase kIntCases[] = {
    {"tiny_min", ColumnType::Tiny, false, {0x80}, "-128"},
    {"tiny_max", ColumnType::Tiny, false, {0x7f}, "127"},
    {"tiny_minus1", ColumnType::Tiny, false, {0xff}, "-1"},
    {"tiny_umax", ColumnType::Tiny, true, {0xff}, "255"},
    {"tiny_zero", ColumnType::Tiny, false, {0x00}, "0"},
    {"short_min", ColumnType::Short, false, {0x00, 0x80}, "-32768"},
    {"short_max", ColumnType::Short, false, {0xff, 0x7f}, "32767"},
    {"short_umax", ColumnType::Short, true, {0xff, 0xff}, "65535"},
    {"short_le", ColumnType::Short, false, {0x34, 0x12}, "4660"},
    {"int24_min", ColumnType::Int24, false, {0x00, 0x00, 0x80}, "-8388608"},
    {"int24_max", ColumnType::Int24, false, {0xff, 0xff, 0x7f}, "8388607"},
    {"int24_minus1", ColumnType::Int24, false, {0xff, 0xff, 0xff}, "-1"},
    {"int24_umax", ColumnType::Int24, true, {0xff, 0xff, 0xff}, "16777215"},
    {"long_min", ColumnType::Long, false, {0x00, 0x00, 0x00, 0x80}, "-2147483648"},
    {"long_max", ColumnType::Long, false, {0xff, 0xff, 0xff, 0x7f}, "2147483647"},
    {"long_umax", ColumnType::Long, true, {0xff, 0xff, 0xff, 0xff}, "4294967295"},
    // 3230202323 = 0xC088F9D3 (minimal_row_metadata fixture: INT UNSIGNED)
    {"long_unsigned_fixture", ColumnType::Long, true, {0xd3, 0xf9, 0x88, 0xc0}, "3230202323"},
    {"longlong_min", ColumnType::LongLong, false, {0, 0, 0, 0, 0, 0, 0, 0x80},
     "-9223372036854775808"},
    {"longlong_max", ColumnType::LongLong, false, {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f},
     "9223372036854775807"},
    {"longlong_umax", ColumnType::LongLong, true, {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff},
     "18446744073709551615"},
    {"longlong_minus1", ColumnType::LongLong, false,
     {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, "-1"},
};

INSTANTIATE_TEST_SUITE_P(AllWidths, IntegerValues, ::testing::ValuesIn(kIntCases),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(IntegerValues, TruncatedInputFails) {
    expect_error(column(ColumnType::Long), {0x01, 0x02}, Errc::Truncated);
    expect_error(column(ColumnType::LongLong), {}, Errc::Truncated);
}

TEST(YearValues, ZeroAndRange) {
    // YEAR is one byte: 0 is the zero year, otherwise 1900 + v (1901..2155).
    expect_json(column(ColumnType::Year), {0}, "0");
    expect_json(column(ColumnType::Year), {1}, "1901");
    expect_json(column(ColumnType::Year), {124}, "2024");
    expect_json(column(ColumnType::Year), {255}, "2155");
    EXPECT_EQ(decode(column(ColumnType::Year), {1}).value.kind, model::ValueKind::Year);
}

TEST(FloatValues, LittleEndianIeee) {
    ColumnDef f = column(ColumnType::Float);
    f.pack_length = 4;
    expect_json(f, {0xcd, 0xcc, 0x8c, 0x3f}, "1.1");           // 0x3f8ccccd
    expect_json(f, {0x00, 0x00, 0x80, 0xbf}, "-1");            // 0xbf800000
    expect_json(f, {0x00, 0x00, 0x00, 0x00}, "0");
    expect_json(f, {0x00, 0x00, 0x80, 0x7f}, "null");          // +inf has no JSON form
    ColumnDef d = column(ColumnType::Double);
    d.pack_length = 8;
    expect_json(d, {0x9a, 0x99, 0x99, 0x99, 0x99, 0x99, 0xb9, 0x3f}, "0.1");
    expect_json(d, {0, 0, 0, 0, 0, 0, 0xf0, 0xbf}, "-1");                // 0xbff0000000000000
    expect_json(d, {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xef, 0x7f},
                "1.7976931348623157e+308");                               // DBL_MAX
    expect_error(d, {0, 0, 0, 0}, Errc::Truncated);
}

}  // namespace
}  // namespace cdc::testing
