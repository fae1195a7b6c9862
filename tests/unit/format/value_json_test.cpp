// append_value_json for every ValueKind, built directly (decoding is tested in unit/values).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "format/value_json.h"

namespace cdc::format {
namespace {

using model::Value;
using model::ValueKind;

std::string json(const Value& v) {
    std::string out = "[";
    append_value_json(v, out);  // appends after what is there
    return out.substr(1);
}

Value of(ValueKind kind) {
    Value v;
    v.kind = kind;
    return v;
}

TEST(ValueJson, Numbers) {
    EXPECT_EQ(json(Value::of_int(std::numeric_limits<int64_t>::min())), "-9223372036854775808");
    EXPECT_EQ(json(Value::of_uint(std::numeric_limits<uint64_t>::max())), "18446744073709551615");
    Value y = of(ValueKind::Year);
    y.u = 2155;
    EXPECT_EQ(json(y), "2155");
    Value b = of(ValueKind::Bit);
    b.u = 5;
    EXPECT_EQ(json(b), "5");
    Value f = of(ValueKind::Float);
    f.f = 3.4028235e38f;
    EXPECT_EQ(json(f), "3.4028235e+38");
    f.f = 0.1f;
    EXPECT_EQ(json(f), "0.1");
    Value d = of(ValueKind::Double);
    d.d = 0.30000000000000004;
    EXPECT_EQ(json(d), "0.30000000000000004");
    d.d = std::nan("");
    EXPECT_EQ(json(d), "null");
}

TEST(ValueJson, Decimals) {
    Value d = of(ValueKind::Decimal);
    d.bytes = std::string_view("\x8c\x1e", 2);  // DECIMAL(4,2) 12.30
    d.precision = 4;
    d.scale = 2;
    EXPECT_EQ(json(d), "\"12.30\"");
    d.bytes = std::string_view("\x8c", 1);  // wrong size: nothing sensible to show
    EXPECT_EQ(json(d), "null");
    Value t = of(ValueKind::DecimalText);
    t.bytes = "-0.001";
    EXPECT_EQ(json(t), "\"-0.001\"");
}

TEST(ValueJson, Temporal) {
    Value date = of(ValueKind::Date);
    date.date = {0, 0, 0};
    EXPECT_EQ(json(date), "\"0000-00-00\"");
    Value t = of(ValueKind::Time);
    t.time = {true, 838, 59, 59, 0};
    EXPECT_EQ(json(t), "\"-838:59:59\"");
    Value dt = of(ValueKind::DateTime);
    dt.datetime = {9999, 12, 31, 23, 59, 59, 999999};
    dt.fsp = 6;
    EXPECT_EQ(json(dt), "\"9999-12-31 23:59:59.999999\"");
    Value ts = of(ValueKind::Timestamp);
    ts.timestamp = {1700000000, 120000};
    ts.fsp = 2;
    EXPECT_EQ(json(ts), "\"2023-11-14 22:13:20.12\"");
}

TEST(ValueJson, TextBytesJson) {
    EXPECT_EQ(json(Value::of_text("\x80", 8)), "\"\xe2\x82\xac\"");
    EXPECT_EQ(json(Value::of_text("", 255)), "\"\"");
    EXPECT_EQ(json(Value::of_bytes("fooba")), "\"Zm9vYmE=\"");
    EXPECT_EQ(json(Value::of_bytes("")), "\"\"");
    Value j = of(ValueKind::JsonText);
    j.bytes = "{\"a\": [1, true]}";
    EXPECT_EQ(json(j), "{\"a\": [1, true]}");
}

TEST(ValueJson, EnumAndSet) {
    std::vector<std::string> labels = {"x", "y", "z"};
    Value e = of(ValueKind::Enum);
    e.u = 2;
    EXPECT_EQ(json(e), "2");  // no labels
    e.labels = &labels;
    EXPECT_EQ(json(e), "\"y\"");
    e.u = 0;
    EXPECT_EQ(json(e), "\"\"");
    e.u = 4;
    EXPECT_EQ(json(e), "4");
    Value e2 = of(ValueKind::Enum);  // label given as bytes only
    e2.u = 1;
    e2.bytes = "only";
    EXPECT_EQ(json(e2), "\"only\"");

    Value s = of(ValueKind::Set);
    s.u = 0b101;
    EXPECT_EQ(json(s), "5");
    s.labels = &labels;
    EXPECT_EQ(json(s), "\"x,z\"");
    s.u = 0;
    EXPECT_EQ(json(s), "\"\"");
}

TEST(ValueJson, VectorNullAbsent) {
    Value v = of(ValueKind::Vector);
    v.bytes = std::string_view("\xcd\xcc\x8c\x3f\x00\x00\x80\xbf", 8);
    EXPECT_EQ(json(v), "[1.1,-1]");
    EXPECT_EQ(json(Value::null()), "null");
    EXPECT_EQ(json(Value::absent()), "null");
}

}  // namespace
}  // namespace cdc::format
