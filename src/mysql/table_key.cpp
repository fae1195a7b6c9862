#include "mysql/table_key.h"

namespace cdc::mysql {

// SHOW INDEX's columns: Key_name (2), Non_unique (1), Column_name (4), Sub_part (7), Null (9),
// Index_type (10), in MySQL too.
BinlogKey binlog_key_from_index_rows(const std::vector<Row>& index_rows) {
    BinlogKey key;
    bool usable = false;
    for (const auto& row : index_rows) {
        if (row.size() < 11) return {};
        const std::string index = row[2].value_or("");
        if (index != key.index) {
            if (usable && !key.columns.empty()) return key;  // the previous one qualified
            key.index = index;
            key.columns.clear();
            usable = row[1].value_or("1") == "0" && row[10].value_or("") != "HASH";
        }
        if (!usable) continue;
        const bool whole_not_null = row[4] && !row[7] && row[9].value_or("YES").empty();
        if (index == "PRIMARY" || whole_not_null) {
            key.columns.push_back(*row[4]);
        } else {
            usable = false;
        }
    }
    if (usable && !key.columns.empty()) return key;
    return {};
}

Result<BinlogKey> read_binlog_key(Connection& conn, const model::TableId& table) {
    auto indexes = conn.query("SHOW INDEX FROM " + table.quoted());
    if (!indexes) return indexes.error();
    return binlog_key_from_index_rows(indexes->rows);
}

}  // namespace cdc::mysql
