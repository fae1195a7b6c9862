#include "mysql/server_checks.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "mysql/check_messages.h"
#include "mysql/grants.h"
#include "mysql/table_key.h"

namespace cdc::mysql {
namespace {

using Variables = std::map<std::string, std::string>;  // lower-case name -> value

CheckOutcome pass(std::string name, std::string detail) {
    return {std::move(name), true, std::move(detail)};
}
CheckOutcome fail(std::string name, std::string detail, Errc errc = Errc::FailedPrecondition) {
    return {std::move(name), false, std::move(detail), false, errc};
}
CheckOutcome query_failed(std::string name, const Error& e) {
    return fail(std::move(name), e.message, e.code);
}

std::string upper(std::string s) {
    for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

Result<Variables> read_variables(Connection& conn) {
    auto r = conn.query(
        "SHOW GLOBAL VARIABLES WHERE Variable_name IN ('server_id', 'log_bin', "
        "'binlog_format', 'binlog_row_image', 'binlog_row_metadata', 'binlog_checksum')");
    if (!r) return r.error();
    Variables vars;
    for (const auto& row : r->rows) {
        if (row.size() < 2 || !row[0]) continue;
        std::string name = *row[0];
        for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        vars[name] = row[1].value_or("");
    }
    return vars;
}

void check_variables(const Connection& conn, const Variables& vars,
                     std::vector<CheckOutcome>& out) {
    auto value = [&](const std::string& name) -> std::optional<std::string> {
        auto it = vars.find(name);
        if (it == vars.end()) return std::nullopt;
        return upper(it->second);
    };
    const auto log_bin = value("log_bin");
    if (log_bin == "ON" || log_bin == "1") out.push_back(pass("binary logging", "log_bin is ON"));
    else out.push_back(fail("binary logging", binlog_off_message()));

    for (const auto& [name, wanted] : {std::pair{"binlog_format", "ROW"},
                                       std::pair{"binlog_row_image", "FULL"}}) {
        const std::string v = value(name).value_or("");
        if (v == wanted) out.push_back(pass(name, v));
        else out.push_back(fail(name, variable_message(name, v, wanted)));
    }
    if (const auto meta = value("binlog_row_metadata"); !meta) {
        out.push_back(fail("binlog_row_metadata",
                           row_metadata_missing_message(conn.server_version())));
    } else if (*meta == "FULL") {
        out.push_back(pass("binlog_row_metadata", *meta));
    } else {
        out.push_back(fail("binlog_row_metadata",
                           variable_message("binlog_row_metadata", *meta, "FULL")));
    }
    const std::string checksum = value("binlog_checksum").value_or("NONE");
    if (checksum == "NONE" || checksum == "CRC32") {
        out.push_back(pass("binlog_checksum", checksum));
    } else {
        out.push_back(fail("binlog_checksum", "binlog_checksum is " + checksum +
                                                  ", which mysql-cdc does not know: set "
                                                  "binlog_checksum = CRC32 in my.cnf"));
    }
}

Result<Account> current_account(Connection& conn) {
    auto r = conn.query("SELECT CURRENT_USER()");
    if (!r) return r.error();
    if (r->rows.empty() || r->rows[0].empty() || !r->rows[0][0]) {
        return make_error(Errc::Internal, "SELECT CURRENT_USER() returned no row");
    }
    return parse_account(*r->rows[0][0]);
}

Result<GrantSet> read_grants(Connection& conn) {
    auto r = conn.query("SHOW GRANTS FOR CURRENT_USER()");
    if (!r) return r.error();
    std::vector<std::string> lines;
    for (const auto& row : r->rows) {
        if (!row.empty() && row[0]) lines.push_back(*row[0]);
    }
    return parse_grants(lines);
}

// Tables that exist. information_schema lists only the tables the user has some privilege on,
// so a missing table may also be an invisible one (see the message).
Result<std::set<model::TableId>> existing_tables(Connection& conn,
                                                 const std::vector<model::TableId>& tables) {
    std::set<model::TableId> found;
    if (tables.empty()) return found;
    std::string sql =
        "SELECT TABLE_SCHEMA, TABLE_NAME FROM information_schema.TABLES WHERE "
        "(TABLE_SCHEMA, TABLE_NAME) IN (";
    for (size_t i = 0; i < tables.size(); ++i) {
        sql += (i ? ", (" : "(") + conn.quote_literal(tables[i].schema) + ", " +
               conn.quote_literal(tables[i].table) + ")";
    }
    auto r = conn.query(sql + ")");
    if (!r) return r.error();
    for (const auto& row : r->rows) {
        if (row.size() >= 2 && row[0] && row[1]) found.insert({*row[0], *row[1]});
    }
    return found;
}

// Not a failure: a keyless table streams fine, but its consumers should know what they get.
CheckOutcome check_key(Connection& conn, const model::TableId& table) {
    const std::string name = "key of " + table.quoted();
    auto key = read_binlog_key(conn, table);
    if (key && !key->columns.empty())
        return pass(name, table_key_message(key->index, key->columns));
    CheckOutcome o = pass(name, key ? no_table_key_message(table)
                                    : "cannot read its indexes: " + key.error().message);
    o.warning = true;
    return o;
}

void check_tables(Connection& conn, const std::vector<model::TableId>& tables,
                  const Account& account, const GrantSet* grants, bool snapshot,
                  std::vector<CheckOutcome>& out) {
    auto found = existing_tables(conn, tables);
    for (const model::TableId& table : tables) {
        const std::string name = "table " + table.quoted();
        if (!found) {
            out.push_back(query_failed(name, found.error()));
            continue;
        }
        if (found->count(table) == 0) {
            const bool hidden = grants != nullptr && !grants->has_on_table("SELECT", table);
            out.push_back(fail(name, hidden ? missing_or_hidden_table_message(account, table)
                                            : missing_table_message(table)));
            continue;
        }
        out.push_back(pass(name, "exists"));
        out.push_back(check_key(conn, table));
        if (grants == nullptr) continue;
        const std::string select_name = "SELECT on " + table.quoted();
        if (grants->has_on_table("SELECT", table)) {
            out.push_back(pass(select_name, "granted"));
        } else if (snapshot) {
            out.push_back(fail(select_name, missing_select_message(account, table, true)));
        } else {
            CheckOutcome o = pass(select_name, missing_select_message(account, table, false));
            o.warning = true;
            out.push_back(std::move(o));
        }
    }
}

CheckOutcome check_server_id(Connection& conn, const Variables& vars, uint32_t our_id) {
    const std::string name = "server id";
    if (our_id == 0) {
        return fail(name, "our replica server id is 0, which a server refuses: set "
                          "MYSQL_SERVER_ID to 1..4294967295");
    }
    auto it = vars.find("server_id");
    if (it != vars.end() && it->second == std::to_string(our_id)) {
        return fail(name, server_id_clash_message(our_id, "the server itself (@@server_id)"));
    }
    // Registered replicas; only visible with REPLICATION MASTER ADMIN (MariaDB) or REPLICATION
    // SLAVE (MySQL). A listed replica with our id may be our own previous connection, which
    // the server drops when we register again, so it is reported, not failed.
    const bool new_mysql = !conn.is_mariadb() && conn.version_number() >= 80022;
    auto r = conn.query(new_mysql ? "SHOW REPLICAS" : "SHOW SLAVE HOSTS");
    if (!r) return pass(name, std::to_string(our_id) + " (other replicas not visible)");
    const auto id_col = r->column("Server_id");
    const auto host_col = r->column("Host");
    for (const auto& row : r->rows) {
        if (id_col && row[*id_col] == std::to_string(our_id)) {
            std::string host = host_col && row[*host_col] ? *row[*host_col] : "?";
            CheckOutcome o = pass(name, std::to_string(our_id) + " is also listed by SHOW " +
                                            "SLAVE HOSTS (host '" + host + "'): fine if that "
                                            "is this tool's previous connection, otherwise " +
                                            server_id_clash_message(our_id, "that replica"));
            o.warning = true;
            return o;
        }
    }
    return pass(name, std::to_string(our_id));
}

}  // namespace

std::vector<CheckOutcome> run_server_checks(Connection& conn,
                                            const std::vector<model::TableId>& tables,
                                            uint32_t our_server_id, bool snapshot_requested) {
    std::vector<CheckOutcome> out;
    const std::string flavour = conn.is_mariadb() ? "MariaDB " : "MySQL ";
    if (auto problem = version_problem(conn.is_mariadb(), conn.version_number(),
                                       conn.server_version())) {
        out.push_back(fail("server version", *problem));
    } else {
        out.push_back(pass("server version", flavour + conn.server_version()));
    }
    auto vars = read_variables(conn);
    if (vars) check_variables(conn, *vars, out);
    else out.push_back(query_failed("binlog settings", vars.error()));

    auto account = current_account(conn);
    auto grants = read_grants(conn);
    if (!account) {
        out.push_back(query_failed("privileges", account.error()));
    } else if (!grants) {
        out.push_back(query_failed("privileges", grants.error()));
    } else if (auto missing = missing_replication_privileges(*grants, conn.is_mariadb(),
                                                             conn.version_number());
               !missing.empty()) {
        out.push_back(fail("privileges", missing_privileges_message(*account, missing)));
    } else {
        out.push_back(pass("privileges", "replication privileges granted to " +
                                             account->quoted()));
    }
    const Account who = account ? *account : Account{conn.user(), "%"};
    check_tables(conn, tables, who, grants ? &*grants : nullptr, snapshot_requested, out);
    out.push_back(check_server_id(conn, vars ? *vars : Variables{}, our_server_id));
    return out;
}

Status first_failure(const std::vector<CheckOutcome>& outcomes) {
    for (const auto& o : outcomes) {
        if (!o.ok) return make_error(o.errc, o.detail);
    }
    return {};
}

}  // namespace cdc::mysql
