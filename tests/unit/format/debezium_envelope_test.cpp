// The Debezium envelope, key and schema-change value (debezium_json.h).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "format/debezium_json.h"
#include "model/row_image.h"

namespace cdc::format {
namespace {

using model::ChangeEvent;
using model::ChangeKind;
using model::ColumnType;
using model::RowImage;
using model::Value;
using Json = nlohmann::ordered_json;

model::TableSchema people() {
    model::TableSchema t;
    t.schema = "shop";
    t.table = "people";
    t.columns.resize(2);
    t.columns[0].name = "id";
    t.columns[0].type = ColumnType::Long;
    t.columns[0].nullable = false;
    t.columns[1].name = "name";
    t.columns[1].type = ColumnType::VarChar;
    t.columns[1].collation = 45;
    t.primary_key = {0};
    t.generation = model::next_schema_generation();
    return t;
}

RowImage row(int64_t id, std::string_view name) {
    return RowImage{{Value::of_int(id), Value::of_text(name, 45)}};
}

DebeziumSource source() {
    DebeziumSource s;
    s.binlog_file = "mysql-bin.000003";
    s.binlog_pos = 154;
    s.row = 2;
    s.server_id = 7;
    s.commit_time_ms = 1700000000000;
    s.total_order = 3;
    s.data_collection_order = 1;
    return s;
}

std::string value(const ChangeEvent& ev, const DebeziumSource& s, const DebeziumOptions& o = {}) {
    std::string out;
    append_debezium_value_json(ev, s, o, 1700000000123, out);
    return out;
}

TEST(DebeziumEnvelope, InsertIsTheDocumentedShape) {
    auto t = people();
    RowImage after = row(1, "Ann");
    std::string out = value({ChangeKind::Insert, &t, nullptr, &after}, source());
    EXPECT_EQ(
        out,
        R"({"before":null,"after":{"id":1,"name":"Ann"},"source":{"version":")" +
            std::string(debezium_source_version()) +
            R"(","connector":"mysql","name":"mysql-cdc","ts_ms":1700000000000,"snapshot":"false",)"
            R"("db":"shop","sequence":null,"ts_us":1700000000000000,"ts_ns":1700000000000000000,)"
            R"("table":"people","server_id":7,"gtid":null,"file":"mysql-bin.000003","pos":154,)"
            R"("row":2,"thread":null,"query":null},"transaction":null,"op":"c",)"
            R"("ts_ms":1700000000123,"ts_us":1700000000123000,"ts_ns":1700000000123000000})");
}

TEST(DebeziumEnvelope, OpAndImagesPerKind) {
    auto t = people();
    RowImage before = row(1, "Ann");
    RowImage after = row(1, "Bo");
    auto parsed = [&](ChangeKind kind, const RowImage* b, const RowImage* a, DebeziumSource s) {
        return Json::parse(value({kind, &t, b, a}, s));
    };
    Json u = parsed(ChangeKind::Update, &before, &after, source());
    EXPECT_EQ(u["op"], "u");
    EXPECT_EQ(u["before"]["name"], "Ann");
    EXPECT_EQ(u["after"]["name"], "Bo");
    Json d = parsed(ChangeKind::Delete, &before, nullptr, source());
    EXPECT_EQ(d["op"], "d");
    EXPECT_EQ(d["before"]["id"], 1);
    EXPECT_TRUE(d["after"].is_null());
    DebeziumSource snap = source();
    snap.snapshot = true;
    Json r = parsed(ChangeKind::SnapshotInsert, nullptr, &after, snap);
    EXPECT_EQ(r["op"], "r");
    EXPECT_TRUE(r["before"].is_null());
    EXPECT_EQ(r["source"]["snapshot"], "true");
    snap.snapshot_last = true;
    EXPECT_EQ(parsed(ChangeKind::SnapshotInsert, nullptr, &after, snap)["source"]["snapshot"],
              "last");
    Json tr = parsed(ChangeKind::Truncate, nullptr, nullptr, source());
    EXPECT_EQ(tr["op"], "t");
    EXPECT_TRUE(tr["before"].is_null());
    EXPECT_TRUE(tr["after"].is_null());
}

TEST(DebeziumEnvelope, GtidAndTransactionBlock) {
    auto t = people();
    RowImage after = row(1, "Ann");
    DebeziumOptions o;
    o.transaction_metadata = true;
    DebeziumSource s = source();
    Json without_gtid = Json::parse(value({ChangeKind::Insert, &t, nullptr, &after}, s, o));
    EXPECT_EQ(
        without_gtid["transaction"].dump(),
        R"({"id":"file=mysql-bin.000003,pos=154","total_order":3,"data_collection_order":1})");
    s.gtid = "0-1-42";
    Json with_gtid = Json::parse(value({ChangeKind::Insert, &t, nullptr, &after}, s, o));
    EXPECT_EQ(with_gtid["source"]["gtid"], "0-1-42");
    EXPECT_EQ(with_gtid["transaction"]["id"], "0-1-42");
    // A snapshot row is in no transaction: Debezium leaves the block null.
    s.snapshot = true;
    Json snapshot = Json::parse(value({ChangeKind::SnapshotInsert, &t, nullptr, &after}, s, o));
    EXPECT_TRUE(snapshot["transaction"].is_null()) << snapshot.dump();
}

TEST(DebeziumEnvelope, AbsentColumnsAreNullAndUnnamedColumnsAreNumbered) {
    auto t = people();
    t.columns[1].name.clear();
    t.generation = model::next_schema_generation();
    RowImage after{{Value::of_int(1), Value::absent()}};
    Json v = Json::parse(value({ChangeKind::Insert, &t, nullptr, &after}, source()));
    EXPECT_EQ(v["after"].dump(), R"({"id":1,"@2":null})");
}

TEST(DebeziumEnvelope, SchemasWrapThePayload) {
    auto t = people();
    RowImage after = row(1, "Ann");
    DebeziumOptions o;
    o.schemas = true;
    o.server_name = "srv";
    Json v = Json::parse(value({ChangeKind::Insert, &t, nullptr, &after}, source(), o));
    ASSERT_TRUE(v.contains("schema"));
    EXPECT_EQ(v["payload"]["after"]["name"], "Ann");
    EXPECT_EQ(v["schema"]["name"], "srv.shop.people.Envelope");
    EXPECT_EQ(v["schema"]["fields"][0]["name"], "srv.shop.people.Value");
    EXPECT_EQ(v["schema"]["fields"][0]["fields"][0].dump(),
              R"({"type":"int32","optional":false,"field":"id"})");
    std::vector<std::string> names;
    for (const auto& f : v["schema"]["fields"]) names.push_back(f["field"]);
    EXPECT_EQ(names, (std::vector<std::string>{"before", "after", "source", "transaction", "op",
                                               "ts_ms", "ts_us", "ts_ns"}));
}

TEST(DebeziumEnvelope, SpillHandsOutTheTextBetweenValues) {
    auto t = people();
    std::string big(5000, 'x');
    RowImage after{{Value::of_int(1), Value::of_text(big, 45)}};
    std::string taken;
    JsonSpill spill{100, [&](std::string& out) {
                        taken += out;
                        out.clear();
                    }};
    std::string out;
    append_debezium_value_json({ChangeKind::Insert, &t, nullptr, &after}, source(), {}, 1, out,
                               &spill);
    EXPECT_GT(taken.size(), 5000u);
    Json v = Json::parse(taken + out);
    EXPECT_EQ(v["after"]["name"], big);
}

TEST(DebeziumKey, PrimaryKeyStructWithOptionalTableField) {
    auto t = people();
    RowImage after = row(5, "Ann");
    std::string key;
    append_debezium_key_json({ChangeKind::Insert, &t, nullptr, &after}, {}, false, key);
    EXPECT_EQ(key, R"({"id":5})");
    key.clear();
    DebeziumOptions o;
    o.server_name = "srv";
    append_debezium_key_json({ChangeKind::Delete, &t, &after, nullptr}, o, true, key);
    EXPECT_EQ(key, R"({"id":5,"__dbz__physicalTableIdentifier":"srv.shop.people"})");
    key.clear();
    o.schemas = true;
    append_debezium_key_json({ChangeKind::Insert, &t, nullptr, &after}, o, true, key);
    EXPECT_EQ(
        key,
        R"({"schema":{"type":"struct","fields":[{"type":"int32","optional":false,"field":"id"},)"
        R"({"type":"string","optional":false,"field":"__dbz__physicalTableIdentifier"}],)"
        R"("optional":false,"name":"srv.shop.people.Key"},"payload":{"id":5,)"
        R"("__dbz__physicalTableIdentifier":"srv.shop.people"}})");
}

TEST(DebeziumKey, NoPrimaryKeyMeansNoKey) {
    auto t = people();
    t.primary_key.clear();
    RowImage after = row(5, "Ann");
    std::string key;
    append_debezium_key_json({ChangeKind::Insert, &t, nullptr, &after}, {}, true, key);
    EXPECT_EQ(key, "");
    auto t2 = people();
    append_debezium_key_json({ChangeKind::Truncate, &t2, nullptr, nullptr}, {}, false, key);
    EXPECT_EQ(key, "");
}

TEST(DebeziumSchemaChange, ValueShape) {
    model::SchemaChange change;
    change.schema = "shop";
    change.table = "people";
    change.verb = "ALTER TABLE";
    change.statement = "ALTER TABLE people ADD c INT";
    change.database = "shop";
    SchemaChangePosition pos;
    pos.binlog_file = "mysql-bin.000003";
    pos.binlog_pos = 570;
    pos.commit_time_ms = 1651535750000;
    std::string out;
    append_debezium_schema_change_json(change, pos, 223344, {}, 1651535750218, out);
    Json v = Json::parse(out);
    std::vector<std::string> keys;
    for (const auto& [k, _] : v.items()) keys.push_back(k);
    EXPECT_EQ(keys, (std::vector<std::string>{"source", "ts_ms", "databaseName", "schemaName",
                                              "ddl", "tableChanges"}));
    EXPECT_EQ(v["source"]["db"], "shop");
    EXPECT_EQ(v["source"]["table"], "people");
    EXPECT_EQ(v["source"]["pos"], 570);
    EXPECT_EQ(v["source"]["server_id"], 223344);
    EXPECT_EQ(v["databaseName"], "shop");
    EXPECT_TRUE(v["schemaName"].is_null());
    EXPECT_EQ(v["ddl"], "ALTER TABLE people ADD c INT");
    EXPECT_EQ(v["tableChanges"].dump(), "[]");
    out.clear();
    DebeziumOptions o;
    o.schemas = true;
    append_debezium_schema_change_json(change, pos, 223344, o, 1, out);
    Json s = Json::parse(out);
    EXPECT_EQ(s["schema"]["name"], "io.debezium.connector.mysql.SchemaChangeValue");
    EXPECT_EQ(s["payload"]["ddl"], "ALTER TABLE people ADD c INT");
}

}  // namespace
}  // namespace cdc::format
