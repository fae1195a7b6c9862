// The chunk queries of keyset pagination: identifiers quoted, the "after the last key"
// condition exact for composite keys, ENUM/SET keys compared by index.
#include <gtest/gtest.h>

#include "snapshot/chunk_reader.h"
#include "snapshot/progress_meter.h"
#include "snapshot/table_layout.h"

namespace cdc::snapshot {
namespace {

SnapshotColumn column(std::string name, std::string data_type) {
    SnapshotColumn c;
    c.name = std::move(name);
    c.data_type = std::move(data_type);
    c.select_expr = model::quote_identifier(c.name);
    return c;
}

KeyValue number(std::string text) {
    KeyValue v;
    v.text = std::move(text);
    return v;
}

TEST(ChunkQuery, SingleKey) {
    TableLayout t;
    t.id = {"shop", "orders"};
    t.columns = {column("id", "int"), column("note", "varchar")};
    t.key = {0};
    t.key_result_columns = {0};
    auto first = chunk_query(t, {}, 1000);
    ASSERT_TRUE(first);
    EXPECT_EQ(*first, "SELECT `id`,`note` FROM `shop`.`orders` ORDER BY `id` LIMIT 1000");
    auto next = chunk_query(t, {number("1000")}, 500);
    ASSERT_TRUE(next);
    EXPECT_EQ(
        *next,
        "SELECT `id`,`note` FROM `shop`.`orders` WHERE (`id` > 1000) ORDER BY `id` LIMIT 500");
}

TEST(ChunkQuery, CompositeKeyIsAUnionOfRanges) {
    TableLayout t;
    t.id = {"s", "t"};
    t.columns = {column("v", "text"), column("a", "int"), column("b", "int"), column("c", "int")};
    t.key = {1, 2, 3};  // key order differs from column order
    t.key_result_columns = {1, 2, 3};
    auto sql = chunk_query(t, {number("1"), number("2"), number("3")}, 10);
    ASSERT_TRUE(sql);
    EXPECT_EQ(*sql,
              "SELECT `v`,`a`,`b`,`c` FROM `s`.`t` WHERE (`a` > 1) OR (`a` = 1 AND `b` > 2) OR "
              "(`a` = 1 AND `b` = 2 AND `c` > 3) ORDER BY `a`,`b`,`c` LIMIT 10");
}

TEST(ChunkQuery, EnumKeyIsReadAndComparedByIndex) {
    TableLayout t;
    t.id = {"s", "t"};
    t.columns = {column("e", "enum"), column("n", "int")};
    t.key = {0, 1};
    t.key_result_columns = {2, 1};  // a hidden `e`+0 after the table's columns
    auto sql = chunk_query(t, {number("2"), number("7")}, 5);
    ASSERT_TRUE(sql);
    EXPECT_EQ(*sql,
              "SELECT `e`,`n`,`e`+0 FROM `s`.`t` WHERE (`e` > 2) OR (`e` = 2 AND `n` > 7) "
              "ORDER BY `e`,`n` LIMIT 5");
}

TEST(ChunkQuery, NoKeyIsOneStreamingQuery) {
    TableLayout t;
    t.id = {"s", "log"};
    t.columns = {column("line", "text")};
    auto sql = chunk_query(t, {}, 0);
    ASSERT_TRUE(sql);
    EXPECT_EQ(*sql, "SELECT `line` FROM `s`.`log`");
}

TEST(ChunkQuery, SavedKeyOfAnotherShapeIsRefused) {
    TableLayout t;
    t.id = {"s", "t"};
    t.columns = {column("a", "int"), column("b", "int")};
    t.key = {0, 1};
    t.key_result_columns = {0, 1};
    auto sql = chunk_query(t, {number("1")}, 10);
    ASSERT_FALSE(sql);
    EXPECT_EQ(sql.error().code, Errc::DataLoss);
    KeyValue evil = number("1) OR (1=1");
    auto injected = chunk_query(t, {evil, number("2")}, 10);
    ASSERT_FALSE(injected);
}

TEST(ChunkQueryTemplate, HasAPlaceholderPerComparedValueInParameterOrder) {
    TableLayout t;
    t.id = {"s", "t"};
    t.columns = {column("v", "text"), column("a", "bigint"), column("b", "int")};
    t.key = {1, 2};
    t.key_result_columns = {1, 2};
    EXPECT_EQ(chunk_query_template(t, 10),
              "SELECT `v`,`a`,`b` FROM `s`.`t` WHERE (`a` > ?) OR (`a` = ? AND `b` > ?) "
              "ORDER BY `a`,`b` LIMIT 10");
    auto params = integer_key_params(t, {number("-5"), number("18446744073709551615")});
    ASSERT_TRUE(params);
    ASSERT_EQ(params->size(), 3u);  // a, then a and b
    EXPECT_EQ((*params)[0].value, -5);
    EXPECT_FALSE((*params)[0].is_unsigned);
    EXPECT_EQ((*params)[1].value, -5);
    EXPECT_EQ(static_cast<uint64_t>((*params)[2].value), 18446744073709551615u);
    EXPECT_TRUE((*params)[2].is_unsigned);
    auto small = integer_key_params(t, {number("7"), number("9223372036854775807")});
    ASSERT_TRUE(small);
    EXPECT_FALSE((*small)[2].is_unsigned);
}

TEST(ChunkQueryTemplate, KeysOtherThanIntegersKeepTheirLiterals) {
    TableLayout t;
    t.id = {"s", "t"};
    t.columns = {column("a", "decimal")};
    t.key = {0};
    t.key_result_columns = {0};
    EXPECT_FALSE(integer_key_params(t, {number("3.50")}));
    EXPECT_FALSE(integer_key_params(t, {number("99999999999999999999")}));  // > 64 bits
    EXPECT_FALSE(integer_key_params(t, {number("-")}));
    EXPECT_FALSE(integer_key_params(t, {}));  // the first chunk
    KeyValue date;
    date.kind = KeyValue::Kind::Quoted;
    date.text = "2024-01-01";
    EXPECT_FALSE(integer_key_params(t, {date}));
    KeyValue text;
    text.kind = KeyValue::Kind::Text;
    text.text = "12";
    text.charset = "utf8mb4";
    EXPECT_FALSE(integer_key_params(t, {text}));
    TableLayout keyless;
    keyless.columns = {column("a", "int")};
    EXPECT_FALSE(integer_key_params(keyless, {number("1")}));
}

TEST(ChunkReader, AQueryReadsWholeChunksOfAtLeastTenThousandRows) {
    EXPECT_EQ(ChunkReader::rows_per_query(1000), 10000u);
    EXPECT_EQ(ChunkReader::rows_per_query(200), 10000u);
    EXPECT_EQ(ChunkReader::rows_per_query(3000), 12000u);  // four chunks
    EXPECT_EQ(ChunkReader::rows_per_query(9999), 19998u);
    EXPECT_EQ(ChunkReader::rows_per_query(1), 10000u);
    EXPECT_EQ(ChunkReader::rows_per_query(10000), 10000u);
    EXPECT_EQ(ChunkReader::rows_per_query(250000), 250000u);
    EXPECT_EQ(ChunkReader::rows_per_query(0), 0u);  // a keyless table's one query
}

TEST(ProgressMeter, DescribesDoneTotalRateAndEta) {
    EXPECT_EQ(ProgressMeter::describe(250, 1000, 50),
              "250/1000 rows (25%), 50 rows/s, ETA 0:00:15");
    // The server's estimate can be low: never less than what is done, and no ETA when done.
    EXPECT_EQ(ProgressMeter::describe(1200, 1000, 600), "1200/1200 rows (100%), 600 rows/s");
    EXPECT_EQ(ProgressMeter::describe(0, 0, 0), "0/0 rows, 0 rows/s");
    EXPECT_EQ(ProgressMeter::describe(0, 7200000, 1000),
              "0/7200000 rows (0%), 1000 rows/s, ETA 2:00:00");
}

}  // namespace
}  // namespace cdc::snapshot
