// Privileges of the connected account, parsed from SHOW GRANTS FOR CURRENT_USER() lines.
//
//   GrantSet g = parse_grants({"GRANT REPLICATION SLAVE, BINLOG MONITOR ON *.* TO `cdc`@`%`"});
//   g.has_global("REPLICATION SLAVE");          // true
//   g.has_on_table("SELECT", {"shop", "orders"});  // false
//
// Understands global, database (with LIKE wildcards) and table grants, ALL PRIVILEGES, WITH
// GRANT OPTION, MariaDB's names (BINLOG MONITOR, REPLICATION REPLICA) and skips what it does not
// need (column grants, routines, PROXY, role grants: roles are out of scope). Pure.
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/table_id.h"

namespace cdc::mysql {

class GrantSet {
public:
    // Adds one "GRANT ... ON ... TO ..." line; lines it does not understand are ignored.
    void add_line(std::string_view line);

    // A privilege on *.* (ALL PRIVILEGES counts). Names are upper-case, MySQL spelling.
    bool has_global(std::string_view privilege) const;
    // A privilege covering the whole table: on *.*, on its database, or on the table.
    bool has_on_table(std::string_view privilege, const model::TableId& table) const;

private:
    static bool covers(const std::set<std::string>& privs, std::string_view privilege);

    std::set<std::string> global_;
    std::vector<std::pair<std::string, std::set<std::string>>> databases_;  // LIKE pattern
    std::map<model::TableId, std::set<std::string>> tables_;
};

GrantSet parse_grants(const std::vector<std::string>& lines);

// Canonical spelling: "REPLICATION REPLICA" -> "REPLICATION SLAVE", "ALL" -> "ALL PRIVILEGES",
// MariaDB's "BINLOG MONITOR" stays (it is what MariaDB 10.5+ calls REPLICATION CLIENT).
std::string canonical_privilege(std::string_view name);

// MySQL's LIKE as used in database-level grants: '%' any run, '_' one char, '\' escapes.
bool like_match(std::string_view pattern, std::string_view text);

struct Account {
    std::string user;
    std::string host;
    std::string quoted() const;  // 'user'@'host', ready for a GRANT statement
};

// CURRENT_USER() returns "user@host"; the user part may itself contain '@'.
Account parse_account(std::string_view current_user);

}  // namespace cdc::mysql
