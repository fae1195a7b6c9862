// Our Debezium events against Debezium's own, field by field: the MySQL connector
// documentation's key, create, update and delete examples, and one value as Debezium 2.7.3's
// connector wrote it (tests/unit/format/debezium_examples/README.md). The same change is built
// here, formatted, and both are parsed and compared. Every intentional difference is listed
// below; anything else is a failure.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

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

Json example(const std::string& name) {
    auto path = std::filesystem::path(__FILE__).parent_path() / "debezium_examples" / name;
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return Json::parse(text.str());
}

// --- The documentation's `customers` table -------------------------------------------------

model::TableSchema customers() {
    model::TableSchema t;
    t.schema = "inventory";
    t.table = "customers";
    const char* names[] = {"id", "first_name", "last_name", "email"};
    for (const char* name : names) {
        model::ColumnDef c;
        c.name = name;
        c.type = ColumnType::VarChar;
        c.collation = 255;
        c.nullable = false;  // all NOT NULL in the example's CREATE TABLE
        t.columns.push_back(c);
    }
    t.columns[0].type = ColumnType::Long;  // INTEGER NOT NULL AUTO_INCREMENT PRIMARY KEY
    t.columns[0].collation = 0;
    t.primary_key = {0};
    t.has_column_names = true;
    t.generation = model::next_schema_generation();
    return t;
}

RowImage customer(int64_t id, std::string_view first) {
    return RowImage{{Value::of_int(id), Value::of_text(first, 255),
                     Value::of_text("Kretchmar", 255), Value::of_text("annek@noanswer.org", 255)}};
}

DebeziumOptions docs_options(bool schemas) {
    DebeziumOptions o;
    o.server_name = "mysql-server-1";
    o.schemas = schemas;
    return o;
}

// Where we differ from the documented payloads on purpose (docs/DEBEZIUM.md):
//  - source.version: mysql-cdc's version, not Debezium's.
//  - source.snapshot: the documentation still shows the old boolean; Debezium 2.x writes the
//    io.debezium.data.Enum string ("false"), as the 2.7.3 example below shows, and so do we.
//  - source.thread: the binlog's thread id is not passed on (null; Debezium: the session's).
//  - source.query: null (Debezium's include.query is off by default; the example has it on).
const std::set<std::string> kDocsPayloadDifferences = {"source.version", "source.snapshot",
                                                       "source.thread", "source.query"};
// Fields Debezium 2.x has that the documentation's examples predate.
const std::set<std::string> kDocsPayloadAdditions = {
    "source.sequence", "source.ts_us", "source.ts_ns", "transaction", "ts_us", "ts_ns"};

// Every field of `expected` is in `actual` with the same value (or, for the listed differences,
// the same JSON type or both scalars); `actual`'s extra fields must be listed additions.
void expect_same_fields(const Json& expected, const Json& actual, const std::string& path,
                        const std::set<std::string>& differences,
                        const std::set<std::string>& additions) {
    ASSERT_TRUE(actual.is_object()) << path;
    for (const auto& [key, want] : expected.items()) {
        std::string where = path.empty() ? key : path + "." + key;
        ASSERT_TRUE(actual.contains(key)) << "missing " << where;
        const Json& got = actual[key];
        if (differences.count(where) != 0) {
            EXPECT_TRUE(got.is_primitive()) << where;
            continue;
        }
        if (want.is_object()) {
            expect_same_fields(want, got, where, differences, additions);
        } else {
            EXPECT_EQ(got, want) << where;
        }
    }
    for (const auto& [key, _] : actual.items()) {
        std::string where = path.empty() ? key : path + "." + key;
        if (!expected.contains(key)) {
            EXPECT_EQ(additions.count(where), 1u) << "extra " << where;
        }
    }
}

DebeziumSource docs_source(uint64_t pos, uint32_t server_id, int64_t ts) {
    DebeziumSource s;
    s.binlog_file = "mysql-bin.000003";
    s.binlog_pos = pos;
    s.row = 0;
    s.server_id = server_id;
    s.commit_time_ms = ts;
    return s;
}

TEST(DebeziumExamples, DocumentedCreateEvent) {
    Json docs = example("docs_create.json");
    auto t = customers();
    RowImage after = customer(1004, "Anne");
    std::string out;
    append_debezium_value_json({ChangeKind::Insert, &t, nullptr, &after}, docs_source(154, 0, 0),
                               docs_options(true), 1465491411815, out);
    Json ours = Json::parse(out);
    expect_same_fields(docs["payload"], ours["payload"], "", kDocsPayloadDifferences,
                       kDocsPayloadAdditions);
    EXPECT_EQ(ours["payload"]["source"]["snapshot"], "false");

    // Schema: before/after structs exactly as documented (names, types, optionality, order).
    const Json& fields = ours["schema"]["fields"];
    EXPECT_EQ(fields[0].dump(), docs["schema"]["fields"][0].dump());
    EXPECT_EQ(fields[1].dump(), docs["schema"]["fields"][1].dump());
    EXPECT_EQ(ours["schema"]["name"], docs["schema"]["name"]);
    EXPECT_EQ(ours["schema"]["optional"], false);
    // The source struct: every documented field with its type and optionality, in order. The
    // differences: snapshot is Debezium 2.x's string enum (documented: boolean), and 2.x's
    // sequence, ts_us and ts_ns are added.
    const Json& docs_source_fields = docs["schema"]["fields"][2]["fields"];
    const Json& our_source_fields = fields[2]["fields"];
    EXPECT_EQ(fields[2]["name"], "io.debezium.connector.mysql.Source");
    std::vector<std::string> our_order;
    std::map<std::string, Json> ours_by_name;
    for (const auto& f : our_source_fields) {
        our_order.push_back(f["field"]);
        ours_by_name[f["field"]] = f;
    }
    std::vector<std::string> docs_order;
    for (const auto& f : docs_source_fields) {
        std::string name = f["field"];
        docs_order.push_back(name);
        ASSERT_EQ(ours_by_name.count(name), 1u) << name;
        if (name == "snapshot") {
            EXPECT_EQ(ours_by_name[name]["type"], "string");
            EXPECT_EQ(ours_by_name[name]["name"], "io.debezium.data.Enum");
            continue;
        }
        EXPECT_EQ(ours_by_name[name].dump(), f.dump()) << name;
    }
    std::vector<std::string> ours_without_additions;
    for (const auto& n : our_order) {
        if (n != "sequence" && n != "ts_us" && n != "ts_ns") ours_without_additions.push_back(n);
    }
    EXPECT_EQ(ours_without_additions, docs_order);
    // op and ts_ms as documented; Debezium 2.x adds transaction, ts_us and ts_ns.
    std::map<std::string, Json> envelope;
    for (const auto& f : fields) envelope[f["field"]] = f;
    EXPECT_EQ(envelope["op"].dump(), docs["schema"]["fields"][3].dump());
    EXPECT_EQ(envelope["ts_ms"].dump(), docs["schema"]["fields"][4].dump());
    EXPECT_EQ(envelope.size(), 8u);
}

TEST(DebeziumExamples, DocumentedUpdateAndDeleteEvents) {
    auto t = customers();
    RowImage before = customer(1004, "Anne");
    RowImage after = customer(1004, "Anne Marie");
    std::string out;
    append_debezium_value_json({ChangeKind::Update, &t, &before, &after},
                               docs_source(484, 223344, 1465581029100), docs_options(false),
                               1465581029523, out);
    expect_same_fields(example("docs_update_payload.json"), Json::parse(out), "",
                       kDocsPayloadDifferences, kDocsPayloadAdditions);
    out.clear();
    append_debezium_value_json({ChangeKind::Delete, &t, &after, nullptr},
                               docs_source(805, 223344, 1465581902300), docs_options(false),
                               1465581902461, out);
    expect_same_fields(example("docs_delete_payload.json"), Json::parse(out), "",
                       kDocsPayloadDifferences, kDocsPayloadAdditions);
}

TEST(DebeziumExamples, DocumentedKey) {
    auto t = customers();
    RowImage after = customer(1001, "Anne");
    std::string out;
    append_debezium_key_json({ChangeKind::Insert, &t, nullptr, &after}, docs_options(true), false,
                             out);
    // The documentation writes the key schema's attributes in another order than JsonConverter
    // does: compare as JSON objects.
    EXPECT_EQ(nlohmann::json::parse(out), nlohmann::json::parse(example("docs_key.json").dump()));
    EXPECT_EQ(Json::parse(out)["schema"].dump(),
              R"({"type":"struct","fields":[{"type":"int32","optional":false,"field":"id"}],)"
              R"("optional":false,"name":"mysql-server-1.inventory.customers.Key"})");
}

TEST(DebeziumExamples, SnapshotReadOfTheDocumentedRow) {
    // The documentation describes snapshot rows as the same event with op "r" and
    // source.snapshot set.
    auto t = customers();
    RowImage after = customer(1004, "Anne");
    DebeziumSource s = docs_source(154, 0, 0);
    s.snapshot = true;
    std::string out;
    append_debezium_value_json({ChangeKind::SnapshotInsert, &t, nullptr, &after}, s,
                               docs_options(false), 1465491411815, out);
    Json ours = Json::parse(out);
    Json docs = example("docs_create.json")["payload"];
    docs["op"] = "r";
    expect_same_fields(docs, ours, "", kDocsPayloadDifferences, kDocsPayloadAdditions);
    EXPECT_EQ(ours["source"]["snapshot"], "true");
}

TEST(DebeziumExamples, Debezium273CreateEventWithSchema) {
    Json theirs = example("debezium_2_7_3_mysql_create.json");
    model::TableSchema t;
    t.schema = "connect_test_db";
    t.table = "source_table";
    t.columns.resize(2);
    t.columns[0].name = "id";  // id int auto_increment primary key
    t.columns[0].type = ColumnType::Long;
    t.columns[0].nullable = false;
    t.columns[1].name = "name";  // name varchar(10)
    t.columns[1].type = ColumnType::VarChar;
    t.columns[1].collation = 255;
    t.primary_key = {0};
    t.generation = model::next_schema_generation();
    RowImage after{{Value::of_int(1), Value::of_text("test1", 255)}};
    DebeziumSource s;
    s.binlog_file = "mysql-bin.000003";
    s.binlog_pos = 399;
    s.server_id = 1;
    s.commit_time_ms = 1756281265000;
    DebeziumOptions o;
    o.server_name = "mysql_server";
    o.schemas = true;
    std::string out;
    append_debezium_value_json({ChangeKind::Insert, &t, nullptr, &after}, s, o, 1756281265624, out);
    Json ours = Json::parse(out);
    // The whole schema block, byte for byte in JsonConverter's order.
    EXPECT_EQ(ours["schema"].dump(), theirs["schema"].dump());
    // The payload, in the same field order; the differences: source.version (ours),
    // source.thread (not known: null), and the envelope's ts_us/ts_ns, which we derive from the
    // millisecond clock (Debezium reads a microsecond one).
    std::vector<std::string> our_keys, their_keys;
    for (const auto& [k, _] : ours["payload"].items()) our_keys.push_back(k);
    for (const auto& [k, _] : theirs["payload"].items()) their_keys.push_back(k);
    EXPECT_EQ(our_keys, their_keys);
    Json expected = theirs["payload"];
    expected["source"]["version"] = std::string(debezium_source_version());
    expected["source"]["thread"] = nullptr;
    expected["ts_us"] = 1756281265624000;
    expected["ts_ns"] = 1756281265624000000;
    EXPECT_EQ(ours["payload"].dump(), expected.dump());
}

}  // namespace
}  // namespace cdc::format
