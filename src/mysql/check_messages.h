// The decisions and one-line messages of the server checks (DESIGN.md, "Server checks and
// errors"), kept apart from the queries so they are unit-tested without a server. Each message
// says what is wrong and the exact line that fixes it. Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/table_id.h"
#include "mysql/grants.h"

namespace cdc::mysql {

// Minimum versions: MySQL 5.7; MariaDB 10.5 (binlog_row_metadata). nullopt when fine.
std::optional<std::string> version_problem(bool mariadb, uint32_t version,
                                           std::string_view version_text);

std::string binlog_off_message();

// A binlog variable with the wrong value, e.g. ("binlog_format", "MIXED", "ROW").
std::string variable_message(std::string_view variable, std::string_view value,
                             std::string_view wanted);
// binlog_row_metadata does not exist on this server.
std::string row_metadata_missing_message(std::string_view version_text);

// Privileges needed on *.* to stream that the grants lack, in GRANT spelling for this server:
// REPLICATION SLAVE (COM_REGISTER_SLAVE, COM_BINLOG_DUMP) and, for SHOW BINARY LOGS / SHOW
// MASTER STATUS, BINLOG MONITOR on MariaDB >= 10.5.2, REPLICATION CLIENT elsewhere (SUPER
// also allows those statements).
std::vector<std::string> missing_replication_privileges(const GrantSet& grants, bool mariadb,
                                                        uint32_t version);
// "user 'cdc'@'%' lacks REPLICATION SLAVE, ...: run GRANT REPLICATION SLAVE ON *.* TO 'cdc'@'%'"
std::string missing_privileges_message(const Account& account,
                                       const std::vector<std::string>& privileges);

std::string missing_table_message(const model::TableId& table);
// Not in information_schema, which hides tables the user has no privilege on.
std::string missing_or_hidden_table_message(const Account& account, const model::TableId& table);
// SELECT on a table: needed only to snapshot its existing rows.
std::string missing_select_message(const Account& account, const model::TableId& table,
                                   bool snapshot_requested);

// The key a watched table's changes are keyed by (table_key.h): the PRIMARY KEY, or a UNIQUE
// index the server promotes to it (`index` names it), said as a fact.
std::string table_key_message(std::string_view index, const std::vector<std::string>& columns);
// A table with neither: what keying by the whole row means, and the fix.
std::string no_table_key_message(const model::TableId& table);

std::string server_id_clash_message(uint32_t our_id, std::string_view whose);

// What to do when the saved position is gone: the advice every such message ends with.
inline constexpr std::string_view kPositionGoneAdvice =
    "SNAPSHOT_MODE=when_needed takes a new snapshot of the tables and continues from it (once: "
    "INITIAL_SNAPSHOT=true FORCE_SNAPSHOT=true), or delete the state file to start from now";

// The saved position is gone: purged (file missing) or past the end of the file.
std::string position_gone_message(std::string_view file, uint64_t pos, std::string_view oldest);
std::string position_beyond_end_message(std::string_view file, uint64_t pos, uint64_t size);

}  // namespace cdc::mysql
