// TABLE_MAP metadata and GTIDs from real servers, against the values INDEX.md records.
#include <gtest/gtest.h>

#include <map>

#include "binlog/decoder.h"
#include "binlog_file.h"

namespace cdc::binlog {
namespace {

struct Decoded {
    std::map<std::string, model::TableSchema> tables;  // by table name, last map wins
    std::vector<std::string> gtids;
    std::vector<std::string> previous_gtids;
    // Of every GTID and ANONYMOUS_GTID event: immediate_commit_timestamp, and the header's
    // timestamp (seconds).
    std::vector<uint64_t> commit_us;
    std::vector<uint32_t> gtid_header_seconds;
};

Decoded decode_file(const std::string& name) {
    Decoded out;
    test::BinlogFile file = test::read_binlog_file(std::string(CDC_FIXTURES_DIR) + "/" + name);
    BinlogDecoder dec;
    for (const auto& raw : file.events) {
        Result<Event> ev = dec.decode(raw.bytes, raw.offset);
        EXPECT_TRUE(ev.ok()) << (ev.ok() ? "" : ev.error().message);
        if (!ev.ok()) break;
        if (auto* tm = std::get_if<TableMapNotice>(&ev->body)) {
            const model::TableSchema* s = dec.table(tm->table_id);
            out.tables[s->table] = *s;
        } else if (auto* g = std::get_if<GtidEvent>(&ev->body)) {
            if (!g->anonymous) out.gtids.push_back(g->to_string());
            out.commit_us.push_back(g->immediate_commit_us);
            out.gtid_header_seconds.push_back(ev->header.timestamp);
        } else if (auto* p = std::get_if<PreviousGtidsEvent>(&ev->body)) {
            out.previous_gtids.push_back(p->gtid_set);
        }
    }
    return out;
}

TEST(FixtureMetadata, MySql8SignednessCountsYear) {
    // sakila.film on MySQL 8.0.44: film_id SMALLINT UNSIGNED, title, description,
    // release_year YEAR, language_id and original_language_id and rental_duration TINYINT
    // UNSIGNED, rental_rate DECIMAL(4,2), length SMALLINT UNSIGNED, replacement_cost
    // DECIMAL(5,2), ... The SIGNEDNESS byte 11111010 has a bit for YEAR.
    Decoded d = decode_file("sakila-mysql-8.0.44/binlog.000007");
    ASSERT_TRUE(d.tables.count("film"));
    const auto& c = d.tables["film"].columns;
    ASSERT_GE(c.size(), 10u);
    EXPECT_EQ(c[3].type, model::ColumnType::Year);
    EXPECT_TRUE(c[0].is_unsigned);
    EXPECT_TRUE(c[4].is_unsigned);
    EXPECT_TRUE(c[6].is_unsigned);
    EXPECT_FALSE(c[7].is_unsigned);  // rental_rate
    EXPECT_TRUE(c[8].is_unsigned);   // length
    EXPECT_FALSE(c[9].is_unsigned);  // replacement_cost
}

TEST(FixtureMetadata, MariaDb105FullMetadata) {
    Decoded d = decode_file("rust_mysql_common/mariadb-bin.000001");
    ASSERT_TRUE(d.tables.count("outbox"));
    const auto& t = d.tables["outbox"];
    EXPECT_EQ(t.schema, "toddy_test");
    ASSERT_EQ(t.columns.size(), 5u);
    std::vector<std::string> names;
    for (const auto& c : t.columns) names.push_back(c.name);
    EXPECT_EQ(names, (std::vector<std::string>{"id", "topic", "event_type", "event", "created"}));
    EXPECT_EQ(t.primary_key, (std::vector<uint32_t>{0}));
    EXPECT_EQ(t.columns[1].collation, 45);  // utf8mb4_general_ci
    EXPECT_EQ(t.columns[2].type, model::ColumnType::Enum);
    EXPECT_EQ(t.columns[2].collation, 45);
    EXPECT_FALSE(t.columns[2].enum_labels.empty());
    EXPECT_EQ(t.columns[3].collation, model::kBinaryCollation);
}

TEST(FixtureMetadata, MySqlEnumSetAndLongChar) {
    Decoded d = decode_file("rust_mysql_common/mysql-enum-string-set.000001");
    ASSERT_FALSE(d.tables.empty());
    const model::TableSchema& t = d.tables.begin()->second;
    ASSERT_GE(t.columns.size(), 4u);
    EXPECT_EQ(t.columns[0].type, model::ColumnType::String);
    EXPECT_EQ(t.columns[0].max_length, 512u);
    EXPECT_EQ(t.columns[2].type, model::ColumnType::Enum);
    EXPECT_EQ(t.columns[3].type, model::ColumnType::Set);
    EXPECT_FALSE(t.columns[2].enum_labels.empty());
    EXPECT_FALSE(t.columns[3].set_labels.empty());
}

TEST(FixtureMetadata, VectorDimensions) {
    Decoded d = decode_file("rust_mysql_common/vector.binlog");
    ASSERT_TRUE(d.tables.count("foo") && d.tables.count("bar"));
    std::vector<uint32_t> foo, bar;
    for (const auto& c : d.tables["foo"].columns) {
        if (c.type == model::ColumnType::Vector) foo.push_back(c.vector_dimensions);
    }
    for (const auto& c : d.tables["bar"].columns) {
        if (c.type == model::ColumnType::Vector) bar.push_back(c.vector_dimensions);
    }
    EXPECT_EQ(foo, (std::vector<uint32_t>{3}));
    EXPECT_EQ(bar, (std::vector<uint32_t>{2, 4}));
    EXPECT_TRUE(d.tables["foo"].columns[0].is_unsigned);
}

TEST(FixtureMetadata, TaggedGtids) {
    Decoded d = decode_file("rust_mysql_common/binlog_transaction_with_GTID_TAG.000001");
    EXPECT_EQ(d.previous_gtids,
              (std::vector<std::string>{"55778904-0299-11f1-b1b8-4ef0c4956feb:1-13:mytag:1-2"}));
    EXPECT_EQ(d.gtids, (std::vector<std::string>{"55778904-0299-11f1-b1b8-4ef0c4956feb:mytag:3"}));
    Decoded plain = decode_file("rust_mysql_common/binlog_transaction_previous_GTID_no_tag.000001");
    EXPECT_EQ(plain.previous_gtids,
              (std::vector<std::string>{"b9b88c66-0755-11f1-9899-4a9da94c4d71:1-2"}));
}

// The values mysqlbinlog 8 printed for the same files (*.expected-mysqlbinlog-8.txt:
// immediate_commit_timestamp=...).
TEST(FixtureMetadata, MySql8CommitTimestamps) {
    Decoded d = decode_file("rust-us-mysql-cdc-rs/8.0__31_update_rows_v2__binlog.000001");
    EXPECT_EQ(d.commit_us, (std::vector<uint64_t>{1703581264076736, 1703581273089461,
                                                  1703581281258304, 1703581289681456}));
    Decoded w = decode_file(
        "rust-us-mysql-cdc-rs/8.0__19_30_Table_map_event_Write_rows_log_event__binlog.000018");
    EXPECT_EQ(w.commit_us,
              (std::vector<uint64_t>{1702988950896516, 1702988999058842, 1702989003486111}));
    // The header holds whole seconds, none after the commit.
    for (size_t i = 0; i < w.commit_us.size(); ++i) {
        EXPECT_GE(w.commit_us[i] / 1000000, w.gtid_header_seconds[i]) << i;
    }
}

TEST(FixtureMetadata, TaggedGtidCommitTimestamp) {
    // GTID_TAGGED field 6; no mysqlbinlog output for this file: its header says the same second.
    Decoded d = decode_file("rust_mysql_common/binlog_transaction_with_GTID_TAG.000001");
    ASSERT_EQ(d.commit_us.size(), 1u);
    EXPECT_EQ(d.commit_us[0], 1770368687207196u);
    EXPECT_EQ(d.commit_us[0] / 1000000, d.gtid_header_seconds[0]);
}

TEST(FixtureMetadata, MySql57GtidsHaveNoCommitTimestamp) {
    Decoded d = decode_file("apecloud-binlog-connector-rust/mysql-bin.000080");
    ASSERT_EQ(d.commit_us.size(), 10u);
    for (uint64_t us : d.commit_us) EXPECT_EQ(us, 0u);
}

}  // namespace
}  // namespace cdc::binlog
