// State file names: which file in STATE_DIR holds the position of which tables.
//
//   one table      binlog_position_{schema}_{table}.json   the original connector's name, kept
//                                                          byte for byte for ordinary names
//   several        binlog_position__tables.json            one file whatever the tables and
//                                                          their order (the file lists them)
//
// Names are escaped (model::escape_file_name) so that any byte of a schema or table name stays
// inside STATE_DIR: '/', '%', control bytes and DEL become %XX (hex); every other byte, UTF-8
// included, is kept, so an ordinary name is the seed's. A name longer than NAME_MAX (255 bytes) is
// cut and ends in
// "%%" and 16 hex digits of a hash of the full names ("%%" never occurs in an escaped name);
// the file's "tables" field says which table it is for. The multi-table name cannot be a seed
// name: a seed name has a non-empty schema before its separating '_'.
//
// Files written by the original connector and by mysql-cdc before the multi-table layout are
// recognised by name (parse_legacy_name): binlog_position_{schema}_{t1+t2+...}.json, each item
// a table of {schema} or "schema.table".
#pragma once

#include <string>
#include <vector>

#include "model/table_id.h"

namespace cdc::state {

inline constexpr const char* kMultiTableFileName = "binlog_position__tables.json";
inline constexpr size_t kMaxFileNameBytes = 255;

// The state file of a single table: the seed's name, escaped, shortened when too long.
std::string single_table_file_name(const model::TableId& table);

// The tables an older file name stands for, given the schemas it may have been named for and
// the wanted tables; empty when the name is not a position file name or matches none of them.
std::vector<model::TableId> parse_legacy_name(const std::string& file_name,
                                              const std::vector<std::string>& schemas,
                                              const std::vector<model::TableId>& wanted);

}  // namespace cdc::state
