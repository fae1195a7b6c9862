// ChangeRecords: the messages of one change per format, key mode and tombstone setting.
#include "stream/change_records.h"

#include <gtest/gtest.h>

#include "model/row_image.h"

namespace cdc::stream {
namespace {

using model::ChangeEvent;
using model::ChangeKind;
using model::RowImage;
using model::Value;

model::TableSchema orders(bool keyed = true) {
    model::TableSchema t;
    t.schema = "shop";
    t.table = "orders";
    t.columns.resize(2);
    t.columns[0].name = "id";
    t.columns[1].name = "v";
    if (keyed) t.primary_key = {0};
    return t;
}

RowImage row(int64_t id, std::string_view v) {
    return RowImage{{Value::of_int(id), Value::of_text(v, 45)}};
}

sink::OutputRecord at(uint64_t row_index) {
    sink::OutputRecord r;
    r.binlog_file = "mysql-bin.000003";
    r.binlog_pos = 154;
    r.row_index = row_index;
    r.commit_time_ms = 1703581264000;
    return r;
}

RecordOptions options(OutputFormat format, MessageKey key, bool with_table, bool tombstones) {
    RecordOptions o;
    o.format = format;
    o.key = key;
    o.key_with_table = with_table;
    o.tombstones = tombstones;
    return o;
}

TEST(ChangeRecords, SeedInsertIsOneRecordWithTheBareKey) {
    auto t = orders();
    RowImage after = row(2, "a");
    ChangeRecords records(options(OutputFormat::Seed, MessageKey::BarePrimaryKey, true, false));
    auto out = records.format({ChangeKind::Insert, &t, nullptr, &after}, at(5));
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].key, "[2]");
    EXPECT_EQ(out[0].schema, "shop");
    EXPECT_EQ(out[0].table, "orders");
    EXPECT_EQ(out[0].binlog_file, "mysql-bin.000003");
    EXPECT_EQ(out[0].row_index, 5u);
    EXPECT_EQ(out[0].part, 0u);
    EXPECT_FALSE(out[0].tombstone);
    EXPECT_NE(out[0].value.find(R"("kind":"insert")"), std::string_view::npos);
}

TEST(ChangeRecords, PrimaryKeyModeNamesTheTableWhenTopicsAreShared) {
    auto t = orders();
    RowImage after = row(2, "a");
    ChangeRecords shared(options(OutputFormat::Seed, MessageKey::PrimaryKey, true, false));
    EXPECT_EQ(shared.format({ChangeKind::Insert, &t, nullptr, &after}, at(0))[0].key,
              R"({"table":"shop.orders","key":[2]})");
    ChangeRecords own(options(OutputFormat::Seed, MessageKey::PrimaryKey, false, false));
    EXPECT_EQ(own.format({ChangeKind::Insert, &t, nullptr, &after}, at(0))[0].key, "[2]");
}

TEST(ChangeRecords, TableModeKeysByTheTableName) {
    auto t = orders();
    RowImage after = row(2, "a");
    for (OutputFormat f : {OutputFormat::Seed, OutputFormat::Debezium}) {
        ChangeRecords records(options(f, MessageKey::Table, true, false));
        EXPECT_EQ(records.format({ChangeKind::Insert, &t, nullptr, &after}, at(0))[0].key,
                  "shop.orders");
    }
}

TEST(ChangeRecords, DeleteIsFollowedByATombstoneWithItsKey) {
    auto t = orders();
    RowImage before = row(7, "x");
    ChangeRecords records(options(OutputFormat::Seed, MessageKey::PrimaryKey, true, true));
    auto out = records.format({ChangeKind::Delete, &t, &before, nullptr}, at(3));
    ASSERT_EQ(out.size(), 2u);
    EXPECT_FALSE(out[0].tombstone);
    EXPECT_NE(out[0].value.find(R"("kind":"delete")"), std::string_view::npos);
    EXPECT_TRUE(out[1].tombstone);
    EXPECT_TRUE(out[1].value.empty());
    EXPECT_EQ(out[1].key, out[0].key);
    EXPECT_EQ(out[1].key, R"({"table":"shop.orders","key":[7]})");
    EXPECT_EQ(out[0].part, 0u);
    EXPECT_EQ(out[1].part, 1u);
    EXPECT_EQ(out[1].row_index, 3u);
}

TEST(ChangeRecords, NoTombstoneWithoutTheSetting) {
    auto t = orders();
    RowImage before = row(7, "x");
    ChangeRecords records(options(OutputFormat::Seed, MessageKey::PrimaryKey, true, false));
    EXPECT_EQ(records.format({ChangeKind::Delete, &t, &before, nullptr}, at(0)).size(), 1u);
}

TEST(ChangeRecords, SeedPrimaryKeyChangeStaysOneUpdate) {
    auto t = orders();
    RowImage before = row(1, "a");
    RowImage after = row(2, "a");
    ChangeRecords records(options(OutputFormat::Seed, MessageKey::BarePrimaryKey, true, true));
    auto out = records.format({ChangeKind::Update, &t, &before, &after}, at(0));
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].key, "[2]");
    EXPECT_NE(out[0].value.find(R"("kind":"update")"), std::string_view::npos);
}

TEST(ChangeRecords, DebeziumPrimaryKeyChangeIsDeleteTombstoneCreate) {
    auto t = orders();
    RowImage before = row(1, "a");
    RowImage after = row(2, "b");
    ChangeRecords records(options(OutputFormat::Debezium, MessageKey::PrimaryKey, true, true));
    auto out = records.format({ChangeKind::Update, &t, &before, &after}, at(4));
    ASSERT_EQ(out.size(), 3u);
    for (uint32_t i = 0; i < 3; ++i) {
        EXPECT_EQ(out[i].part, i);
        EXPECT_EQ(out[i].row_index, 4u);
        EXPECT_EQ(out[i].binlog_pos, 154u);
    }
    EXPECT_FALSE(out[0].tombstone);
    EXPECT_FALSE(out[0].value.empty());
    EXPECT_TRUE(out[1].tombstone);
    EXPECT_EQ(out[1].key, out[0].key);
    EXPECT_FALSE(out[2].tombstone);
    EXPECT_FALSE(out[2].value.empty());
    // Without tombstones: the delete and the create.
    ChangeRecords plain(options(OutputFormat::Debezium, MessageKey::PrimaryKey, true, false));
    auto two = plain.format({ChangeKind::Update, &t, &before, &after}, at(4));
    ASSERT_EQ(two.size(), 2u);
    EXPECT_EQ(two[1].part, 1u);
    EXPECT_FALSE(two[1].tombstone);
}

TEST(ChangeRecords, DebeziumUpdateKeepingTheKeyIsOneRecord) {
    auto t = orders();
    RowImage before = row(1, "a");
    RowImage after = row(1, "b");
    ChangeRecords records(options(OutputFormat::Debezium, MessageKey::PrimaryKey, true, true));
    EXPECT_EQ(records.format({ChangeKind::Update, &t, &before, &after}, at(0)).size(), 1u);
}

TEST(ChangeRecords, TruncateGoesToEveryPartition) {
    model::TableSchema t;
    t.schema = "shop";
    t.table = "orders";
    ChangeRecords records(options(OutputFormat::Seed, MessageKey::PrimaryKey, true, true));
    auto out = records.format({ChangeKind::Truncate, &t, nullptr, nullptr}, at(0));
    ASSERT_EQ(out.size(), 1u);
    EXPECT_TRUE(out[0].all_partitions);
}

TEST(ChangeRecords, NoKeyForASinkWithoutKeys) {
    auto t = orders();
    RowImage after = row(2, "a");
    RecordOptions o = options(OutputFormat::Seed, MessageKey::PrimaryKey, true, false);
    o.with_key = false;
    ChangeRecords records(o);
    auto out = records.format({ChangeKind::Insert, &t, nullptr, &after}, at(0));
    EXPECT_TRUE(out[0].key.empty());
    EXPECT_TRUE(out[0].partition_key.empty());
}

TEST(ChangeRecords, SchemaChangeIsKeyedByTheTableToEveryPartition) {
    model::SchemaChange change{"shop", "orders", "ALTER TABLE", "ALTER TABLE orders ADD c INT",
                               "shop", 400};
    ChangeRecords records(options(OutputFormat::Seed, MessageKey::PrimaryKey, true, false));
    const sink::OutputRecord& r = records.format_schema_change(change, at(2), 1);
    EXPECT_EQ(r.key, R"("shop.orders")");
    EXPECT_TRUE(r.all_partitions);
    EXPECT_EQ(r.row_index, 2u);
    EXPECT_NE(r.value.find(R"("kind":"ddl")"), std::string_view::npos);
}

TEST(ChangeRecords, DebeziumKeyNamesTheTableWhenTopicsAreShared) {
    auto t = orders();
    RowImage after = row(2, "a");
    ChangeRecords shared(options(OutputFormat::Debezium, MessageKey::PrimaryKey, true, false));
    auto out = shared.format({ChangeKind::Insert, &t, nullptr, &after}, at(0));
    EXPECT_NE(out[0].key.find(R"("id":2)"), std::string_view::npos) << out[0].key;
    EXPECT_NE(out[0].key.find(R"("__dbz__physicalTableIdentifier":"mysql-cdc.shop.orders")"),
              std::string_view::npos)
        << out[0].key;
    ChangeRecords bare(options(OutputFormat::Debezium, MessageKey::BarePrimaryKey, true, false));
    EXPECT_EQ(bare.format({ChangeKind::Insert, &t, nullptr, &after}, at(0))[0].key, R"({"id":2})");
}

TEST(ChangeRecords, DebeziumKeylessTableHasANullKeyPartitionedByTable) {
    auto t = orders(false);
    RowImage before = row(2, "a");
    ChangeRecords records(options(OutputFormat::Debezium, MessageKey::PrimaryKey, true, true));
    auto out = records.format({ChangeKind::Delete, &t, &before, nullptr}, at(0));
    // No key, so no tombstone (nothing to remove).
    ASSERT_EQ(out.size(), 1u);
    EXPECT_TRUE(out[0].key.empty());
    EXPECT_EQ(out[0].partition_key, "shop.orders");
    // The seed format keys such a table by every column.
    ChangeRecords seed(options(OutputFormat::Seed, MessageKey::BarePrimaryKey, true, false));
    auto s = seed.format({ChangeKind::Delete, &t, &before, nullptr}, at(0));
    EXPECT_EQ(s[0].key, R"([2,"a"])");
    EXPECT_TRUE(s[0].partition_key.empty());
}

TEST(ChangeRecords, DebeziumPrimaryKeyChangeKeysEachPartByItsRow) {
    auto t = orders();
    RowImage before = row(1, "a");
    RowImage after = row(2, "b");
    ChangeRecords records(options(OutputFormat::Debezium, MessageKey::BarePrimaryKey, true, true));
    auto out = records.format({ChangeKind::Update, &t, &before, &after}, at(4));
    ASSERT_EQ(out.size(), 3u);
    EXPECT_EQ(out[0].key, R"({"id":1})");
    EXPECT_NE(out[0].value.find(R"("op":"d")"), std::string_view::npos) << out[0].value;
    EXPECT_EQ(out[1].key, R"({"id":1})");
    EXPECT_EQ(out[2].key, R"({"id":2})");
    EXPECT_NE(out[2].value.find(R"("op":"c")"), std::string_view::npos) << out[2].value;
}

// The transaction block of each record with a value, parsed from its text.
std::string transaction_of(const sink::OutputRecord& r) {
    const auto at = r.value.find(R"("transaction":)");
    if (at == std::string_view::npos) return "";
    const auto end = r.value.find(R"(,"op":)", at);
    return std::string(r.value.substr(at + 14, end - at - 14));
}

TEST(ChangeRecords, DebeziumTransactionOrderCountsAKeyChangeAsTwoEvents) {
    auto t = orders();
    RowImage a = row(1, "a"), b = row(2, "b"), c = row(3, "c");
    RecordOptions o = options(OutputFormat::Debezium, MessageKey::PrimaryKey, true, true);
    o.debezium.transaction_metadata = true;
    ChangeRecords records(o);
    const std::string id = R"({"id":"file=mysql-bin.000003,pos=154",)";
    auto first = records.format({ChangeKind::Insert, &t, nullptr, &a}, at(0));
    EXPECT_EQ(transaction_of(first[0]), id + R"("total_order":1,"data_collection_order":1})");
    // Row 1 changes the key: its delete and its create are events 2 and 3, as in Debezium.
    auto moved = records.format({ChangeKind::Update, &t, &a, &b}, at(1));
    ASSERT_EQ(moved.size(), 3u);
    EXPECT_EQ(transaction_of(moved[0]), id + R"("total_order":2,"data_collection_order":2})");
    EXPECT_EQ(transaction_of(moved[2]), id + R"("total_order":3,"data_collection_order":3})");
    auto next = records.format({ChangeKind::Insert, &t, nullptr, &c}, at(2));
    EXPECT_EQ(transaction_of(next[0]), id + R"("total_order":4,"data_collection_order":4})");
    // The next transaction counts from 1 again.
    sink::OutputRecord other = at(0);
    other.binlog_pos = 900;
    auto again = records.format({ChangeKind::Insert, &t, nullptr, &c}, other);
    EXPECT_EQ(transaction_of(again[0]), R"({"id":"file=mysql-bin.000003,pos=900","total_order":1,)"
                                        R"("data_collection_order":1})");
    // Snapshot rows are in no transaction.
    sink::OutputRecord snap = at(5);
    snap.snapshot = true;
    auto read = records.format({ChangeKind::SnapshotInsert, &t, nullptr, &a}, snap);
    EXPECT_EQ(transaction_of(read[0]), "null");
}

TEST(ChangeRecords, KeySchemeNames) {
    EXPECT_EQ(key_scheme_name(options(OutputFormat::Seed, MessageKey::PrimaryKey, true, false)),
              "primary_key");
    // Each table on a topic of its own: the key is the bare key.
    EXPECT_EQ(key_scheme_name(options(OutputFormat::Seed, MessageKey::PrimaryKey, false, false)),
              "bare_primary_key");
    EXPECT_EQ(key_scheme_name(options(OutputFormat::Seed, MessageKey::Table, true, false)),
              "table");
    EXPECT_EQ(output_format_name(OutputFormat::Debezium), "debezium");
}

// A replay after a restart inside a transaction skips the changes the output holds; the
// next change's data_collection_order must be the one the first run would have given it.
TEST(ChangeRecords, SkippedChangesStillCountInTheTransactionOrder) {
    auto t = orders();
    RowImage a = row(1, "a"), b = row(2, "b"), c = row(3, "c"), b2 = row(4, "b");
    RecordOptions o = options(OutputFormat::Debezium, MessageKey::BarePrimaryKey, false, false);
    o.debezium.transaction_metadata = true;
    auto third_value = [&](bool skip_first_two) {
        ChangeRecords records(o);
        if (skip_first_two) {
            records.skip({ChangeKind::Insert, &t, nullptr, &a}, at(0));
            records.skip({ChangeKind::Update, &t, &b, &b2}, at(1));  // a key change
        } else {
            records.format({ChangeKind::Insert, &t, nullptr, &a}, at(0));
            records.format({ChangeKind::Update, &t, &b, &b2}, at(1));
        }
        std::string v(records.format({ChangeKind::Insert, &t, nullptr, &c}, at(2))[0].value);
        // ts_ms of the envelope is the formatting time: compare the transaction block only.
        size_t from = v.find("\"transaction\"");
        return v.substr(from, v.find('}', from) + 1 - from);
    };
    std::string replayed = third_value(true);
    EXPECT_EQ(replayed, third_value(false));
    // Events: the insert, the key change's delete and create, then this one.
    EXPECT_NE(replayed.find(R"("total_order":4,"data_collection_order":4)"), std::string::npos)
        << replayed;
}

}  // namespace
}  // namespace cdc::stream
