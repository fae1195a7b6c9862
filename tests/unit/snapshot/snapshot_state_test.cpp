// The snapshot record in the state file: what a crash leaves must read back exactly, and a key
// read back from a file must never be able to change the meaning of a chunk query.
#include "snapshot/snapshot_state.h"

#include <gtest/gtest.h>

namespace cdc::snapshot {
namespace {

KeyValue key(KeyValue::Kind kind, std::string text, std::string charset = "") {
    KeyValue v;
    v.kind = kind;
    v.text = std::move(text);
    v.charset = std::move(charset);
    return v;
}

SnapshotState running_state() {
    SnapshotState s;
    s.start = {"mysql-bin.000003", 1374};
    s.start_gtid = "0-1-42";
    s.exact = true;
    s.resumed = 2;
    TableProgress a;
    a.table = {"shop", "orders"};
    a.done = true;
    a.rows = 5000;
    a.last_key = {key(KeyValue::Kind::Number, "5000")};
    TableProgress b;
    b.table = {"shop", "items"};
    b.rows = 200;
    // Every kind, with bytes a JSON string could not hold as they are.
    b.last_key = {key(KeyValue::Kind::Text, std::string("caf\xe9\0\"", 6), "latin1"),
                  key(KeyValue::Kind::Binary, std::string("\x00\xff\x27", 3)),
                  key(KeyValue::Kind::Quoted, "2024-02-29 23:59:59.000001"),
                  key(KeyValue::Kind::Number, "-12.50")};
    TableProgress c;
    c.table = {"shop", "notes"};  // not started: no key yet
    s.tables = {a, b, c};
    return s;
}

TEST(SnapshotState, RoundTripsEveryKeyKind) {
    SnapshotState s = running_state();
    auto back = parse_snapshot_state(snapshot_state_json(s));
    ASSERT_TRUE(back) << back.error().message;
    EXPECT_EQ(*back, s);
    EXPECT_EQ(back->rows(), 5200u);
}

TEST(SnapshotState, DoneRecordKeepsCompletionTime) {
    SnapshotState s = running_state();
    s.done = true;
    s.exact = false;
    s.completed_at = 1704067200.5;
    std::string text = snapshot_state_json(s);
    EXPECT_NE(text.find("\"status\":\"done\""), std::string::npos) << text;
    EXPECT_NE(text.find("\"consistency\":\"at-least-once\""), std::string::npos) << text;
    auto back = parse_snapshot_state(text);
    ASSERT_TRUE(back);
    EXPECT_EQ(*back, s);
}

TEST(SnapshotState, WrittenInTheDocumentedShape) {
    SnapshotState s;
    s.start = {"mysql-bin.000003", 1374};
    TableProgress t;
    t.table = {"db", "t"};
    t.rows = 5000;
    t.last_key = {key(KeyValue::Kind::Number, "5000")};
    s.tables = {t};
    EXPECT_EQ(snapshot_state_json(s),
              R"({"status":"running","start":{"log_file":"mysql-bin.000003","log_pos":1374},)"
              R"("consistency":"exact","resumed":0,"tables":[{"table":"db.t","done":false,)"
              R"("rows":5000,"last_key":[{"n":"5000"}]}]})");
}

// The record names a table "schema.table"; a schema with a dot (MYSQL_SCHEMA) reads back as the
// same table (the snapshot once split such a name at its first dot).
TEST(SnapshotState, ASchemaWithADotReadsBackAsTheSameTable) {
    SnapshotState s;
    s.start = {"mysql-bin.000003", 1374};
    TableProgress t;
    t.table = {"my.db", "t"};
    s.tables = {t};
    const std::string text = snapshot_state_json(s);
    EXPECT_NE(text.find(R"("table":"my.db.t")"), std::string::npos) << text;
    auto back = parse_snapshot_state(text);
    ASSERT_TRUE(back) << back.error().message;
    EXPECT_EQ(back->tables.at(0).table, (model::TableId{"my.db", "t"}));
}

TEST(SnapshotState, UnreadableRecordsAreDataLossNotARestart) {
    for (const char* text : {
             "", "[]", "{}", "not json",
             R"({"status":"paused","start":{"log_file":"f","log_pos":4},"tables":[]})",
             R"({"status":"running","tables":[]})",
             R"({"status":"running","start":{"log_file":"f"},"tables":[]})",
             R"({"status":"running","start":{"log_file":"f","log_pos":-4},"tables":[]})",
             R"({"status":"running","start":{"log_file":"f","log_pos":4}})",
             R"({"status":"running","start":{"log_file":"f","log_pos":4},"tables":[{"rows":1}]})",
             R"({"status":"running","start":{"log_file":"f","log_pos":4},"tables":[{"table":"a.b","last_key":{"n":"1"}}]})",
             R"({"status":"running","start":{"log_file":"f","log_pos":4},"tables":[{"table":"a.b","last_key":[{"x":"1"}]}]})",
             R"({"status":"running","start":{"log_file":"f","log_pos":4},"tables":[{"table":"a.b","last_key":[{"b":"abc"}]}]})",
             R"({"status":"running","start":{"log_file":"f","log_pos":4},"tables":[{"table":"a.b","last_key":[{"s":"zz","cs":"latin1"}]}]})",
         }) {
        auto r = parse_snapshot_state(text);
        ASSERT_FALSE(r) << text;
        EXPECT_EQ(r.error().code, Errc::DataLoss) << text;
        EXPECT_NE(r.error().message.find("FORCE_SNAPSHOT=true"), std::string::npos) << text;
    }
}

TEST(KeyLiteral, EachKindBecomesALiteralOfTheSameValue) {
    auto lit = [](const KeyValue& v) {
        auto r = key_literal(v);
        EXPECT_TRUE(r) << v.text;
        return r ? *r : std::string();
    };
    EXPECT_EQ(lit(key(KeyValue::Kind::Number, "-9223372036854775808")), "-9223372036854775808");
    EXPECT_EQ(lit(key(KeyValue::Kind::Number, "12.50")), "12.50");
    EXPECT_EQ(lit(key(KeyValue::Kind::Quoted, "2024-01-02 03:04:05.5")),
              "'2024-01-02 03:04:05.5'");
    EXPECT_EQ(lit(key(KeyValue::Kind::Quoted, "-838:59:59")), "'-838:59:59'");
    EXPECT_EQ(lit(key(KeyValue::Kind::Binary, std::string("\x00\xff'", 3))), "X'00ff27'");
    EXPECT_EQ(lit(key(KeyValue::Kind::Binary, "")), "''");
    // Text keeps its bytes and its character set; the column's collation compares it.
    EXPECT_EQ(lit(key(KeyValue::Kind::Text, "caf\xc3\xa9", "utf8mb4")), "_utf8mb4 X'636166c3a9'");
    EXPECT_EQ(lit(key(KeyValue::Kind::Text, "", "latin1")), "_latin1 ''");
}

TEST(KeyLiteral, RefusesAnythingThatCouldChangeTheQuery) {
    for (const KeyValue& v : {
             key(KeyValue::Kind::Number, ""),
             key(KeyValue::Kind::Number, "1 OR 1=1"),
             key(KeyValue::Kind::Number, "1;DROP TABLE t"),
             key(KeyValue::Kind::Number, "0x10"),
             key(KeyValue::Kind::Quoted, "2024-01-01' OR '1'='1"),
             key(KeyValue::Kind::Quoted, ""),
             key(KeyValue::Kind::Text, "a", "latin1 X'00' OR 1=1 --"),
             key(KeyValue::Kind::Text, "a", "utf8mb4`"),
             key(KeyValue::Kind::Text, "a", ""),
         }) {
        auto r = key_literal(v);
        ASSERT_FALSE(r) << v.text << " / " << v.charset << " -> " << (r ? *r : "");
        EXPECT_EQ(r.error().code, Errc::DataLoss);
    }
}

}  // namespace
}  // namespace cdc::snapshot
