#include "mysql/table_key.h"

#include <gtest/gtest.h>

namespace cdc::mysql {
namespace {

// One SHOW INDEX row: Table, Non_unique, Key_name, Seq_in_index, Column_name, Collation,
// Cardinality, Sub_part, Packed, Null, Index_type.
Row index_row(const std::string& key, bool unique, const std::string& column, bool nullable,
              std::optional<std::string> sub_part = std::nullopt,
              const std::string& type = "BTREE") {
    return {"t",          unique ? "0" : "1",    key, "1", column, "A", "0", std::move(sub_part),
            std::nullopt, nullable ? "YES" : "", type};
}

TEST(TableKey, PrimaryKeyFirst) {
    BinlogKey k = binlog_key_from_index_rows({index_row("PRIMARY", true, "a", false),
                                              index_row("PRIMARY", true, "b", false),
                                              index_row("uk", true, "c", false)});
    EXPECT_TRUE(k.is_primary());
    EXPECT_EQ(k.columns, (std::vector<std::string>{"a", "b"}));
}

TEST(TableKey, FirstUniqueNotNullWholeIndexIsPromoted) {
    BinlogKey k = binlog_key_from_index_rows(
        {index_row("u_null", true, "a", true), index_row("u_prefix", true, "b", false, "10"),
         index_row("u_hash", true, "c", false, std::nullopt, "HASH"),
         index_row("plain", false, "d", false), index_row("u_ok", true, "e", false),
         index_row("u_ok", true, "f", false), index_row("u_later", true, "g", false)});
    EXPECT_FALSE(k.is_primary());
    EXPECT_EQ(k.index, "u_ok");
    EXPECT_EQ(k.columns, (std::vector<std::string>{"e", "f"}));
}

TEST(TableKey, NoneQualifies) {
    BinlogKey k = binlog_key_from_index_rows({index_row("u", true, "a", false),
                                              index_row("u", true, "b", true),
                                              index_row("plain", false, "c", false)});
    EXPECT_TRUE(k.columns.empty());
    EXPECT_TRUE(k.index.empty());
    EXPECT_TRUE(binlog_key_from_index_rows({}).columns.empty());
}

}  // namespace
}  // namespace cdc::mysql
