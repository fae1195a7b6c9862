#include "format/change_json.h"

#include <gtest/gtest.h>

#include "format/value_json.h"

namespace cdc::format {
namespace {

using model::ChangeEvent;
using model::ChangeKind;
using model::RowImage;
using model::Value;

model::TableSchema people() {
    model::TableSchema t;
    t.schema = "shop";
    t.table = "people";
    t.columns.resize(3);
    t.columns[0].name = "id";
    t.columns[1].name = "name";
    t.columns[2].name = "age";
    t.primary_key = {0};
    return t;
}

RowImage row(int64_t id, std::string_view name, int64_t age) {
    return RowImage{{Value::of_int(id), Value::of_text(name, 45), Value::of_int(age)}};
}

TEST(ChangeJson, InsertHasEmptyOldkeys) {
    auto t = people();
    RowImage after = row(1, "Ann", 30);
    ChangeEvent ev{ChangeKind::Insert, &t, nullptr, &after};
    std::string out;
    append_change_json(ev, out);
    EXPECT_EQ(out,
              R"({"kind":"insert","schema":"shop","table":"people","columnnames":["id","name","age"],)"
              R"("columnvalues":[1,"Ann",30],"oldkeys":{}})");
}

TEST(ChangeJson, UpdateCarriesTheFullBeforeImage) {
    auto t = people();
    RowImage before = row(1, "Ann", 30);
    RowImage after = row(2, "Ann", 31);
    ChangeEvent ev{ChangeKind::Update, &t, &before, &after};
    std::string out;
    append_change_json(ev, out);
    EXPECT_EQ(out,
              R"({"kind":"update","schema":"shop","table":"people","columnnames":["id","name","age"],)"
              R"("columnvalues":[2,"Ann",31],"oldkeys":{"keynames":["id","name","age"],)"
              R"("keyvalues":[1,"Ann",30]}})");
}

TEST(ChangeJson, DeleteHasEmptyColumnsAndBeforeImageInOldkeys) {
    auto t = people();
    RowImage before = row(7, "Bo", 5);
    ChangeEvent ev{ChangeKind::Delete, &t, &before, nullptr};
    std::string out;
    append_change_json(ev, out);
    EXPECT_EQ(out,
              R"({"kind":"delete","schema":"shop","table":"people","columnnames":[],)"
              R"("columnvalues":[],"oldkeys":{"keynames":["id","name","age"],)"
              R"("keyvalues":[7,"Bo",5]}})");
}

TEST(ChangeJson, AbsentColumnsAreLeftOutAndUnknownNamesAreNumbered) {
    auto t = people();
    t.columns[2].name.clear();
    RowImage after{{Value::of_int(1), Value::absent(), Value::of_int(3)}};
    ChangeEvent ev{ChangeKind::Insert, &t, nullptr, &after};
    std::string out;
    append_change_json(ev, out);
    EXPECT_EQ(out,
              R"({"kind":"insert","schema":"shop","table":"people","columnnames":["id","@3"],)"
              R"("columnvalues":[1,3],"oldkeys":{}})");
    out.clear();
    append_change_json(ev, out, EnvelopeOptions{.column_numbers = true});
    EXPECT_NE(out.find(R"("columnnames":["@1","@3"])"), std::string::npos) << out;
}

// Short plain text goes into the row's batch buffer; every other text takes append_value_json.
// Either way a row's values must be exactly the values' own JSON, comma-joined.
TEST(ChangeJson, BatchedValuesAreTheValuesOwnJson) {
    static const std::vector<std::string> labels = {"new", "paid", "say \"hi\""};
    std::string long_text(700, 'x');  // longer than the batch buffer
    std::string high_latin1 = "caf\xe9";
    std::vector<Value> values = {
        Value::of_text("plain", 45),
        Value::of_text("", 255),
        Value::of_text("quote\"", 45),
        Value::of_text("tab\t", 45),
        Value::of_text("\xe2\x82\xac", 45),
        Value::of_text("bad\xff", 45),
        Value::of_text(high_latin1, 8),
        Value::of_text("latin1", 8),
        Value::of_text("ab", 35),  // ucs2: not plain even when ASCII
        Value::of_text("zero", 0),
        Value::of_text(long_text, 45),
        Value::of_text(long_text, 45),
        Value::of_int(-5),
        Value::of_text(std::string_view("\0", 1), 45),
    };
    for (uint64_t index : {0, 1, 2, 3, 4}) {
        Value e;
        e.kind = model::ValueKind::Enum;
        e.u = index;
        e.collation = 45;
        e.labels = &labels;
        values.push_back(e);
    }
    Value bytes_only;
    bytes_only.kind = model::ValueKind::Enum;
    bytes_only.u = 1;
    bytes_only.bytes = "only";
    values.push_back(bytes_only);
    for (int i = 0; i < 40; ++i) values.push_back(Value::of_text("customer-12345", 45));

    model::TableSchema t;
    t.schema = "s";
    t.table = "t";
    t.columns.resize(values.size());
    RowImage after{values};
    ChangeEvent ev{ChangeKind::Insert, &t, nullptr, &after};
    std::string out;
    append_change_json(ev, out);
    std::string expected = "[";
    for (size_t i = 0; i < values.size(); ++i) {
        if (i != 0) expected += ',';
        append_value_json(values[i], expected);
    }
    expected += ']';
    EXPECT_NE(out.find("\"columnvalues\":" + expected + ",\"oldkeys\""), std::string::npos)
        << out << "\n"
        << expected;
}

TEST(ChangeJson, SnapshotInsertKind) {
    auto t = people();
    RowImage after = row(1, "A", 2);
    ChangeEvent ev{ChangeKind::SnapshotInsert, &t, nullptr, &after};
    std::string out;
    append_change_json(ev, out);
    EXPECT_EQ(out.rfind(R"({"kind":"snapshot_insert",)", 0), 0u) << out;
}

TEST(ChangeKey, PrimaryKeyFromAfterImageOrBeforeImageForDeletes) {
    auto t = people();
    RowImage before = row(1, "Ann", 30);
    RowImage after = row(2, "Ann", 31);
    std::string out;
    append_change_key_json(ChangeEvent{ChangeKind::Update, &t, &before, &after}, out);
    EXPECT_EQ(out, "[2]");
    out.clear();
    append_change_key_json(ChangeEvent{ChangeKind::Delete, &t, &before, nullptr}, out);
    EXPECT_EQ(out, "[1]");
}

TEST(ChangeKey, AllColumnsWithoutPrimaryKey) {
    auto t = people();
    t.primary_key.clear();
    RowImage after = row(1, "Ann", 30);
    std::string out;
    append_change_key_json(ChangeEvent{ChangeKind::Insert, &t, nullptr, &after}, out);
    EXPECT_EQ(out, R"([1,"Ann",30])");
}

TEST(ChangeJson, SchemaChangeEvent) {
    model::SchemaChange c{.schema = "shop",
                          .table = "orders",
                          .verb = "ALTER TABLE",
                          .statement = "ALTER TABLE orders ADD note VARCHAR(10) DEFAULT \"a\"",
                          .database = "shop",
                          .offset = 1234};
    std::string out;
    append_schema_change_json(c, {"mysql-bin.000003", 1234, "0-1-42", 1700000000123}, out);
    EXPECT_EQ(out,
              "{\"kind\":\"ddl\",\"schema\":\"shop\",\"table\":\"orders\",\"columnnames\":[],"
              "\"columnvalues\":[],\"oldkeys\":{},\"ddl\":\"ALTER TABLE\",\"statement\":\"ALTER "
              "TABLE orders ADD note VARCHAR(10) DEFAULT \\\"a\\\"\",\"database\":\"shop\","
              "\"binlog_file\":\"mysql-bin.000003\",\"binlog_pos\":1234,\"gtid\":\"0-1-42\","
              "\"commit_time_ms\":1700000000123}");
}

}  // namespace
}  // namespace cdc::format
