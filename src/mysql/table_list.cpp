#include "mysql/table_list.h"

namespace cdc::mysql {

Result<std::vector<model::TableId>> list_base_tables(Connection& conn) {
    // BINARY: byte order and byte comparison, whatever the catalog's collation.
    auto r = conn.query(
        "SELECT TABLE_SCHEMA, TABLE_NAME FROM information_schema.TABLES WHERE TABLE_TYPE = "
        "'BASE TABLE' AND TABLE_SCHEMA NOT IN ('mysql', 'information_schema', "
        "'performance_schema', 'sys') ORDER BY BINARY TABLE_SCHEMA, BINARY TABLE_NAME");
    if (!r) return r.error().with_context("listing the server's tables: ");
    std::vector<model::TableId> tables;
    for (const auto& row : r->rows) {
        if (row.size() >= 2 && row[0] && row[1]) tables.push_back({*row[0], *row[1]});
    }
    return tables;
}

}  // namespace cdc::mysql
