// The table names a CREATE TABLE or RENAME TABLE statement (a QUERY event) gives, so that
// stream::TableFilter can tell a table created while streaming (all its rows are in the binlog
// after its CREATE: streaming it is exact) from one that got a matching name by RENAME (it may
// hold rows that were never in the binlog read).
//
//   auto ddl = read_table_ddl("RENAME TABLE a TO b, c TO d", "shop");
//   // ddl.renamed == {{shop.a, shop.b}, {shop.c, shop.d}}
//
// Only the statement's head is read; comments are skipped, names may be `quoted`. ALTER TABLE
// ... RENAME and CREATE TEMPORARY TABLE are not recognised (a temporary table is never in the
// binlog's row events; an ALTER rename counts as a rename by its absence of a CREATE).
#pragma once

#include <string_view>
#include <utility>
#include <vector>

#include "model/table_id.h"

namespace cdc::stream {

struct TableDdl {
    std::vector<model::TableId> created;                             // CREATE TABLE
    std::vector<std::pair<model::TableId, model::TableId>> renamed;  // RENAME TABLE from, to
};

// `default_schema`: the QUERY event's default database, for unqualified names.
TableDdl read_table_ddl(std::string_view sql, std::string_view default_schema);

}  // namespace cdc::stream
