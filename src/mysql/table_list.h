// The server's base tables, for resolving MYSQL_TABLE patterns (app/table_resolution.h).
//
//   auto tables = mysql::list_base_tables(conn);   // sorted by schema, then name
//
// information_schema lists only the tables the user has some privilege on; the system schemas
// (mysql, information_schema, performance_schema, sys) are never listed, so `/.*/` means the
// user's tables. Views, sequences and temporary tables are not base tables and are left out.
#pragma once

#include <vector>

#include "common/result.h"
#include "model/table_id.h"
#include "mysql/connection.h"

namespace cdc::mysql {

Result<std::vector<model::TableId>> list_base_tables(Connection& conn);

}  // namespace cdc::mysql
