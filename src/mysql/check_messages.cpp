#include "mysql/check_messages.h"

namespace cdc::mysql {
namespace {

std::string version_text_of(uint32_t v) {
    return std::to_string(v / 10000) + "." + std::to_string(v / 100 % 100) + "." +
           std::to_string(v % 100);
}

}  // namespace

std::optional<std::string> version_problem(bool mariadb, uint32_t version,
                                           std::string_view version_text) {
    const uint32_t minimum = mariadb ? 100500 : 50700;
    if (version >= minimum) return std::nullopt;
    return std::string(mariadb ? "MariaDB " : "MySQL ") + std::string(version_text) +
           " is too old for CDC: it needs " + (mariadb ? "MariaDB " : "MySQL ") +
           version_text_of(minimum) + " or newer" +
           (mariadb ? " (binlog_row_metadata, column names in the binlog)" : "");
}

std::string binlog_off_message() {
    return "Binary logging must be enabled for CDC: add log_bin = mysql-bin and a server_id to "
           "the [mysqld] section of my.cnf and restart the server";
}

std::string variable_message(std::string_view variable, std::string_view value,
                             std::string_view wanted) {
    const std::string v(variable);
    const std::string w(wanted);
    return v + " is " + (value.empty() ? std::string("empty") : std::string(value)) +
           ", CDC needs " + w + ": run SET GLOBAL " + v + " = '" + w + "' and set " + v +
           " = " + w + " in my.cnf (sessions opened before the change keep the old value "
           "until they reconnect)";
}

std::string row_metadata_missing_message(std::string_view version_text) {
    return "the server (" + std::string(version_text) +
           ") has no binlog_row_metadata, so its binlog lacks column names: CDC needs MySQL "
           "8.0.1+ or MariaDB 10.5+ with binlog_row_metadata = FULL";
}

std::vector<std::string> missing_replication_privileges(const GrantSet& grants, bool mariadb,
                                                        uint32_t version) {
    std::vector<std::string> missing;
    if (!grants.has_global("REPLICATION SLAVE")) missing.emplace_back("REPLICATION SLAVE");
    const bool binlog_monitor = mariadb && version >= 100502;
    const bool can_show_binlogs = grants.has_global("SUPER") ||
                                  grants.has_global("BINLOG MONITOR") ||
                                  grants.has_global("REPLICATION CLIENT");
    if (!can_show_binlogs) {
        missing.emplace_back(binlog_monitor ? "BINLOG MONITOR" : "REPLICATION CLIENT");
    }
    return missing;
}

std::string missing_privileges_message(const Account& account,
                                       const std::vector<std::string>& privileges) {
    std::string list;
    for (const auto& p : privileges) list += (list.empty() ? "" : ", ") + p;
    return "user " + account.quoted() + " lacks " + list +
           " (needed to read the binlog and its positions): run GRANT " + list + " ON *.* TO " +
           account.quoted();
}

std::string missing_table_message(const model::TableId& table) {
    return "table " + table.quoted() + " does not exist (MYSQL_TABLE)";
}

std::string missing_or_hidden_table_message(const Account& account, const model::TableId& table) {
    const std::string target = table.quoted();
    return "table " + target + " does not exist or user " + account.quoted() +
           " has no privilege on it (MYSQL_TABLE): check the name, or run GRANT SELECT ON " +
           target + " TO " + account.quoted();
}

std::string missing_select_message(const Account& account, const model::TableId& table,
                                   bool snapshot_requested) {
    const std::string target = table.quoted();
    return "user " + account.quoted() + " has no SELECT on " + target +
           (snapshot_requested ? ", which the initial snapshot needs"
                               : " (only an initial snapshot needs it)") +
           ": run GRANT SELECT ON " + target + " TO " + account.quoted();
}

std::string table_key_message(std::string_view index, const std::vector<std::string>& columns) {
    std::string list;
    for (const std::string& c : columns)
        list += (list.empty() ? "" : ", ") + model::quote_identifier(c);
    if (index == "PRIMARY") return "PRIMARY KEY (" + list + ")";
    return "no PRIMARY KEY, but UNIQUE index " + model::quote_identifier(index) + " (" + list +
           ") has only NOT NULL columns, so the server uses it as the primary key: changes are "
           "keyed by it";
}

std::string no_table_key_message(const model::TableId& table) {
    return "no PRIMARY KEY and no UNIQUE index of NOT NULL columns: each change is keyed by the "
           "whole row (the Kafka message key), so an update moves the row to another key and "
           "partition (no per-row order), deletes and updates of identical rows cannot be told "
           "apart, and a compacted topic cannot work; add a primary key: ALTER TABLE " +
           table.quoted() + " ADD PRIMARY KEY (...)";
}

std::string server_id_clash_message(uint32_t our_id, std::string_view whose) {
    return "our replica server id " + std::to_string(our_id) + " is already used by " +
           std::string(whose) + ": set MYSQL_SERVER_ID to an id no other server or replica uses";
}

std::string position_gone_message(std::string_view file, uint64_t pos, std::string_view oldest) {
    return "the saved position " + std::string(file) + ":" + std::to_string(pos) +
           " is no longer on the server (purged; oldest is " +
           (oldest.empty() ? std::string("none") : std::string(oldest)) +
           "): " + std::string(kPositionGoneAdvice);
}

std::string position_beyond_end_message(std::string_view file, uint64_t pos, uint64_t size) {
    return "the saved position " + std::string(file) + ":" + std::to_string(pos) +
           " is past the end of that file on the server (" + std::to_string(size) +
           " bytes): the server's binlog history was reset (RESET MASTER) or replaced (a "
           "different server, or a crash lost the file's end): " +
           std::string(kPositionGoneAdvice);
}

}  // namespace cdc::mysql
