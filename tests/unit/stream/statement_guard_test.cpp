// StatementGuard through ChangeExtractor, fed hand-made event bytes: statement-based changes of
// watched tables stop (or are counted), TRUNCATE becomes a change, INCIDENT stops.
#include "stream/statement_guard.h"

#include <gtest/gtest.h>

#include "../binlog/event_builder.h"
#include "format/change_json.h"
#include "stream/change_extractor.h"

namespace cdc::stream {
namespace {

using test::EventBuilder;

// A QUERY event as MySQL 8 lays it out (post-header 13): status variables Q_FLAGS2 and
// Q_SQL_MODE (sql_mode 0), then the default database and the text.
std::vector<uint8_t> query_event(std::string_view schema, std::string_view sql, uint8_t type = 2) {
    EventBuilder b;
    b.le(7, 4).le(0, 4).u8(static_cast<uint8_t>(schema.size())).le(0, 2);
    if (type == 18) {
        b.le(14, 2);                         // status vars length
        b.le(1, 4).le(0, 4).le(0, 4).u8(0);  // file id, start, end, dup handling
    } else {
        b.le(14, 2);
    }
    b.u8(0).le(0, 4).u8(1).le(0, 8);  // Q_FLAGS2, Q_SQL_MODE
    b.str(schema).u8(0).str(sql);
    return b.event(type, true);
}

std::vector<uint8_t> incident_event() {
    return EventBuilder().le(1, 2).u8(11).str("LOST_EVENTS").event(26, true);
}

struct Recorder : ChangeConsumer {
    std::vector<std::string> lines;
    Status on_change(const model::ChangeEvent& change, uint64_t, uint32_t) override {
        std::string s;
        format::append_change_json(change, s);
        lines.push_back(s);
        return {};
    }
};

struct Fixture {
    explicit Fixture(StatementGuardOptions options = {}) : extractor(make(std::move(options))) {
        auto fde = test::make_fde("8.0.36", 1);
        EXPECT_TRUE(extractor->feed(fde, 4, out).ok());
    }
    static std::unique_ptr<ChangeExtractor> make(StatementGuardOptions options) {
        TableFilter filter;
        filter.add({"shop", "orders"});
        return std::make_unique<ChangeExtractor>(binlog::DecoderOptions{}, std::move(filter),
                                                 std::move(options));
    }
    Status feed(const std::vector<uint8_t>& ev) { return extractor->feed(ev, 1000, out); }

    std::unique_ptr<ChangeExtractor> extractor;
    Recorder out;
};

TEST(StatementGuard, StatementChangeOfAWatchedTableStops) {
    for (auto [schema, sql] : std::initializer_list<std::pair<const char*, const char*>>{
             {"shop", "INSERT INTO orders VALUES (1)"},
             {"other", "insert into `shop`.`orders` values (1)"},
             {"shop", "/* x */ UPDATE orders SET v = 2"},
             {"shop", "DELETE o FROM orders o JOIN other.t USING (id)"},
             {"", "REPLACE INTO orders VALUES (1)"},     // no default database: any schema
             {"shop", "INSERT INTO ORDERS VALUES (1)"},  // lower_case_table_names
             {"x", "SELECT f()"}}) {
        Fixture f;
        Status st = f.feed(query_event(schema, sql));
        ASSERT_FALSE(st.ok()) << sql;
        EXPECT_NE(st.error().message.find("at offset 1000"), std::string::npos)
            << st.error().message;
        EXPECT_NE(st.error().message.find("binlog_format=ROW"), std::string::npos);
        EXPECT_TRUE(f.out.lines.empty());
    }
}

TEST(StatementGuard, OtherTablesAndNonChangesPass) {
    for (auto [schema, sql] : std::initializer_list<std::pair<const char*, const char*>>{
             {"shop", "INSERT INTO audit VALUES (1)"},
             {"other", "INSERT INTO orders VALUES (1)"},  // other.orders
             {"shop", "UPDATE customers SET orders = orders + 1"},
             {"shop", "INSERT INTO log VALUES ('DELETE FROM orders')"},
             {"shop", "BEGIN"},
             {"shop", "ALTER TABLE orders ADD COLUMN c INT"},
             {"shop", "TRUNCATE TABLE audit"}}) {
        Fixture f;
        Status st = f.feed(query_event(schema, sql));
        EXPECT_TRUE(st.ok()) << sql << ": " << (st.ok() ? "" : st.error().message);
        EXPECT_TRUE(f.out.lines.empty()) << sql;
    }
}

TEST(StatementGuard, ExecuteLoadQueryIsAStatement) {
    Fixture f;
    Status st = f.feed(
        query_event("shop", "LOAD DATA INFILE '/tmp/SQL_LOAD-1-1-1.data' INTO TABLE `orders`", 18));
    ASSERT_FALSE(st.ok());
    EXPECT_NE(st.error().message.find("LOAD DATA"), std::string::npos) << st.error().message;
    EXPECT_NE(st.error().message.find("shop.orders"), std::string::npos);
}

TEST(StatementGuard, WarnCountsAndGoesOn) {
    std::vector<std::string> warnings;
    StatementGuardOptions options;
    options.warn_statements = true;
    options.warn = [&](GuardWarning kind, const std::string& m) {
        EXPECT_EQ(kind, GuardWarning::Statement);
        warnings.push_back(m);
    };
    Fixture f(options);
    EXPECT_TRUE(f.feed(query_event("shop", "INSERT INTO orders VALUES (1)")).ok());
    EXPECT_TRUE(f.feed(query_event("shop", "DELETE FROM orders")).ok());
    EXPECT_EQ(f.extractor->guard().statements_skipped(), 2u);
    ASSERT_EQ(warnings.size(), 2u);
    EXPECT_NE(warnings[1].find("DELETE"), std::string::npos);
    // Incidents still stop: a separate option.
    EXPECT_FALSE(f.feed(incident_event()).ok());
}

TEST(StatementGuard, TruncateOfAWatchedTableIsAChange) {
    Fixture f;
    ASSERT_TRUE(f.feed(query_event("shop", "TRUNCATE TABLE orders")).ok());
    ASSERT_TRUE(f.feed(query_event("x", "truncate `shop`.`orders`")).ok());
    ASSERT_EQ(f.out.lines.size(), 2u);
    EXPECT_EQ(f.out.lines[0],
              "{\"kind\":\"truncate\",\"schema\":\"shop\",\"table\":\"orders\",\"columnnames\":[],"
              "\"columnvalues\":[],\"oldkeys\":{}}");
    EXPECT_EQ(f.out.lines[1], f.out.lines[0]);
    EXPECT_EQ(f.extractor->changes(), 2u);

    // Equal only ignoring case: it may be another table, or this one (lower_case_table_names).
    Status st = f.feed(query_event("shop", "TRUNCATE TABLE Orders"));
    ASSERT_FALSE(st.ok());
    EXPECT_NE(st.error().message.find("TRUNCATE"), std::string::npos) << st.error().message;
    EXPECT_EQ(f.out.lines.size(), 2u);
}

TEST(StatementGuard, IncidentStopsUnlessWarned) {
    Fixture f;
    Status st = f.feed(incident_event());
    ASSERT_FALSE(st.ok());
    EXPECT_NE(st.error().message.find("INCIDENT"), std::string::npos);
    EXPECT_NE(st.error().message.find("LOST_EVENTS"), std::string::npos);
    EXPECT_NE(st.error().message.find("offset 1000"), std::string::npos);

    StatementGuardOptions options;
    options.warn_incidents = true;
    Fixture g(options);
    EXPECT_TRUE(g.feed(incident_event()).ok());
    EXPECT_EQ(g.extractor->guard().incidents_skipped(), 1u);
}

TEST(StatementGuard, PreFiveZeroLoadEventsStop) {
    Fixture f;
    for (uint8_t type : {6, 8, 10, 12}) {
        Status st = f.feed(EventBuilder().zeros(30).event(type, true));
        ASSERT_FALSE(st.ok()) << int(type);
        EXPECT_NE(st.error().message.find("LOAD DATA"), std::string::npos);
    }
}

}  // namespace
}  // namespace cdc::stream

namespace cdc::stream {
namespace {

struct DdlRecorder : Recorder {
    std::vector<std::string> ddl;
    Status on_schema_change(const model::SchemaChange& c) override {
        lines.push_back("ddl " + std::string(c.schema) + "." + std::string(c.table) + " " +
                        std::string(c.verb) + " db=" + std::string(c.database) +
                        " at=" + std::to_string(c.offset));
        return {};
    }
};

std::vector<std::string> ddl_lines(bool emit, const char* schema, const char* sql) {
    StatementGuardOptions options;
    options.emit_schema_changes = emit;
    TableFilter filter;
    filter.add({"shop", "orders"});
    filter.add({"shop", "items"});
    ChangeExtractor extractor(binlog::DecoderOptions{}, std::move(filter), std::move(options));
    DdlRecorder out;
    auto fde = test::make_fde("8.0.36", 1);
    EXPECT_TRUE(extractor.feed(fde, 4, out).ok());
    Status st = extractor.feed(query_event(schema, sql), 1000, out);
    EXPECT_TRUE(st.ok()) << sql << ": " << (st.ok() ? "" : st.error().message);
    return out.lines;
}

TEST(StatementGuard, SchemaChangesOfWatchedTablesWhenAsked) {
    using V = std::vector<std::string>;
    EXPECT_EQ(ddl_lines(true, "shop", "ALTER TABLE orders ADD c INT"),
              V{"ddl shop.orders ALTER TABLE db=shop at=1000"});
    EXPECT_EQ(ddl_lines(false, "shop", "ALTER TABLE orders ADD c INT"), V{});
    EXPECT_EQ(ddl_lines(true, "x", "ALTER TABLE orders ADD c INT"), V{});  // x.orders
    EXPECT_EQ(ddl_lines(true, "x", "RENAME TABLE shop.orders TO shop.o2, shop.tmp TO shop.items"),
              (V{"ddl shop.orders RENAME TABLE db=x at=1000",
                 "ddl shop.items RENAME TABLE db=x at=1000"}));
    EXPECT_EQ(ddl_lines(true, "shop", "DROP TABLE `items`, `other`, `orders`"),
              (V{"ddl shop.items DROP TABLE db=shop at=1000",
                 "ddl shop.orders DROP TABLE db=shop at=1000"}));
    EXPECT_EQ(ddl_lines(true, "shop", "RENAME TABLE orders TO t, t TO orders"),
              V{"ddl shop.orders RENAME TABLE db=shop at=1000"});
    // TRUNCATE: the truncate change, then the statement.
    V truncate = ddl_lines(true, "shop", "TRUNCATE orders");
    ASSERT_EQ(truncate.size(), 2u);
    EXPECT_NE(truncate[0].find("\"kind\":\"truncate\""), std::string::npos);
    EXPECT_EQ(truncate[1], "ddl shop.orders TRUNCATE TABLE db=shop at=1000");
    EXPECT_EQ(ddl_lines(false, "shop", "TRUNCATE orders").size(), 1u);
}

}  // namespace
}  // namespace cdc::stream
