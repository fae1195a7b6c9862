// RowConverter on rows in binary forms (what a prepared statement hands over): the values and
// the saved key are the same as from the text protocol's forms of the same row.
#include "snapshot/row_converter.h"

#include <gtest/gtest.h>

#include <string>
#include <tuple>

#include "mysql/text_forms.h"

namespace cdc::snapshot {
namespace {

SnapshotColumn column(std::string name, ColumnReading reading, uint8_t fsp = 0) {
    SnapshotColumn c;
    c.name = std::move(name);
    c.reading = reading;
    c.fsp = fsp;
    return c;
}

template <class T>
std::string bytes_of(const T& v) {
    return std::string(reinterpret_cast<const char*>(&v), sizeof v);
}

// A row of one result: field i is values[i] (nullptr-free).
struct TestRow {
    explicit TestRow(std::vector<std::string> v) : values(std::move(v)) {}

    std::vector<std::string> values;
    std::vector<const char*> fields;
    std::vector<unsigned long> lengths;

    mysql::StreamedRow view() {
        fields.clear();
        lengths.clear();
        for (const auto& v : values) {
            fields.push_back(v.data());
            lengths.push_back(v.size());
        }
        return mysql::StreamedRow(fields.data(), lengths.data(), values.size());
    }
};

mysql::ResultColumn result(mysql::ValueForm form) {
    mysql::ResultColumn r;
    r.form = form;
    return r;
}

TableLayout layout_of(std::vector<SnapshotColumn> columns, std::vector<uint32_t> key) {
    TableLayout t;
    t.id = {"s", "t"};
    t.columns = std::move(columns);
    t.key = key;
    t.key_result_columns = key;
    return t;
}

TEST(RowConverterBinary, NumbersAndTemporalsAsTheTextWouldGiveThem) {
    TableLayout t =
        layout_of({column("id", ColumnReading::Int), column("u", ColumnReading::UInt),
                   column("y", ColumnReading::Year), column("f", ColumnReading::Float),
                   column("d", ColumnReading::Double), column("day", ColumnReading::Date),
                   column("t", ColumnReading::Time, 3), column("dt", ColumnReading::DateTime, 6)},
                  {0, 7});
    RowConverter conv(t);
    using F = mysql::ValueForm;
    ASSERT_TRUE(conv.start({result(F::Int64), result(F::UInt64), result(F::UInt64),
                            result(F::Double), result(F::Double), result(F::Temporal),
                            result(F::Temporal), result(F::Temporal)}));
    mysql::TemporalParts day{2024, 2, 29};
    mysql::TemporalParts time{};
    time.hour = 838;
    time.minute = 59;
    time.second = 58;
    time.micros = 123000;
    time.negative = true;
    mysql::TemporalParts dt{1999, 12, 31, 23, 59, 59, 999999};
    TestRow row({bytes_of(int64_t{-42}), bytes_of(uint64_t{18446744073709551615u}),
                 bytes_of(uint64_t{2155}), bytes_of(static_cast<double>(0.1f)), bytes_of(1.25),
                 bytes_of(day), bytes_of(time), bytes_of(dt)});
    model::RowImage image;
    ASSERT_TRUE(conv.convert(row.view(), image));
    EXPECT_EQ(image.values[0].i, -42);
    EXPECT_EQ(image.values[1].u, 18446744073709551615u);
    EXPECT_EQ(image.values[2].u, 2155u);
    EXPECT_EQ(image.values[3].f, 0.1f);
    EXPECT_EQ(image.values[4].d, 1.25);
    EXPECT_EQ(image.values[5].date.year, 2024);
    EXPECT_EQ(image.values[5].date.day, 29);
    EXPECT_TRUE(image.values[6].time.negative);
    EXPECT_EQ(image.values[6].time.hours, 838u);
    EXPECT_EQ(image.values[6].time.micros, 123000u);
    EXPECT_EQ(image.values[6].fsp, 3);
    EXPECT_EQ(image.values[7].datetime.year, 1999);
    EXPECT_EQ(image.values[7].datetime.micros, 999999u);

    std::vector<KeyValue> key;
    conv.key_of(row.view(), key);
    ASSERT_EQ(key.size(), 2u);
    EXPECT_EQ(key[0].kind, KeyValue::Kind::Number);
    EXPECT_EQ(key[0].text, "-42");
    EXPECT_EQ(key[1].kind, KeyValue::Kind::Quoted);
    EXPECT_EQ(key[1].text, "1999-12-31 23:59:59.999999");
}

TEST(RowConverterBinary, TheSameRowAsTextConvertsAlike) {
    TableLayout t =
        layout_of({column("id", ColumnReading::UInt), column("d", ColumnReading::Double),
                   column("dt", ColumnReading::Timestamp, 2)},
                  {0});
    RowConverter binary(t), text(t);
    using F = mysql::ValueForm;
    ASSERT_TRUE(binary.start({result(F::UInt64), result(F::Double), result(F::Temporal)}));
    ASSERT_TRUE(text.start({result(F::Text), result(F::Text), result(F::Text)}));
    mysql::TemporalParts dt{2038, 1, 19, 3, 14, 7, 990000};
    TestRow b({bytes_of(uint64_t{7}), bytes_of(-2.5e-300), bytes_of(dt)});
    TestRow s({"7", "-2.5e-300", "2038-01-19 03:14:07.99"});
    model::RowImage bi, ti;
    ASSERT_TRUE(binary.convert(b.view(), bi));
    ASSERT_TRUE(text.convert(s.view(), ti));
    for (size_t i = 0; i < 3; ++i) {
        EXPECT_EQ(bi.values[i].kind, ti.values[i].kind) << i;
        EXPECT_EQ(bi.values[i].fsp, ti.values[i].fsp) << i;
    }
    EXPECT_EQ(bi.values[0].u, ti.values[0].u);
    EXPECT_EQ(bi.values[1].d, ti.values[1].d);
    const model::DateTime& x = bi.values[2].datetime;
    const model::DateTime& y = ti.values[2].datetime;
    EXPECT_EQ(std::tie(x.year, x.month, x.day, x.hour, x.minute, x.second, x.micros),
              std::tie(y.year, y.month, y.day, y.hour, y.minute, y.second, y.micros));
    std::vector<KeyValue> bk, tk;
    binary.key_of(b.view(), bk);
    text.key_of(s.view(), tk);
    EXPECT_EQ(bk, tk);
}

TEST(RowConverterBinary, MisshapenOrOutOfRangeValuesAreErrorsNotCrashes) {
    TableLayout t =
        layout_of({column("id", ColumnReading::Int), column("dt", ColumnReading::DateTime)}, {0});
    RowConverter conv(t);
    using F = mysql::ValueForm;
    ASSERT_TRUE(conv.start({result(F::Int64), result(F::Temporal)}));
    mysql::TemporalParts ok{2024, 1, 1};
    model::RowImage image;
    TestRow short_int({std::string(4, '\0'), bytes_of(ok)});
    auto st = conv.convert(short_int.view(), image);
    ASSERT_FALSE(st);
    EXPECT_EQ(st.error().code, Errc::Malformed);
    EXPECT_NE(st.error().message.find("column id"), std::string::npos);
    mysql::TemporalParts bad{20240, 1, 1};
    TestRow big_year({bytes_of(int64_t{1}), bytes_of(bad)});
    EXPECT_FALSE(conv.convert(big_year.view(), image));
    // An unsigned value that does not fit a signed column's reading.
    ASSERT_TRUE(conv.start({result(F::UInt64), result(F::Temporal)}));
    TestRow huge({bytes_of(uint64_t{1} << 63), bytes_of(ok)});
    EXPECT_FALSE(conv.convert(huge.view(), image));
}

}  // namespace
}  // namespace cdc::snapshot
