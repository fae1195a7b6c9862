#include "snapshot/consistent_view.h"

#include <spdlog/spdlog.h>

#include <map>
#include <optional>

#include "common/parse_number.h"
#include "mysql/server_checks.h"

namespace cdc::snapshot {
namespace {

// A MariaDB GTID state: domain -> (server_id, seq_no).
using GtidState = std::map<uint32_t, std::pair<uint32_t, uint64_t>>;

std::string gtid_text(const GtidState& s) {
    std::string out;
    for (const auto& [domain, v] : s) {
        if (!out.empty()) out += ',';
        out +=
            std::to_string(domain) + "-" + std::to_string(v.first) + "-" + std::to_string(v.second);
    }
    return out;
}

// Parses "0-1-5,1-2-7" (spaces and brackets tolerated, as SHOW BINLOG EVENTS prints lists).
std::optional<GtidState> parse_gtid_list(std::string_view text) {
    GtidState s;
    std::string cleaned;
    for (char c : text) {
        if (c != '[' && c != ']' && c != ' ') cleaned += c;
    }
    size_t p = 0;
    while (p < cleaned.size()) {
        size_t comma = cleaned.find(',', p);
        std::string item =
            cleaned.substr(p, comma == std::string::npos ? std::string::npos : comma - p);
        p = comma == std::string::npos ? cleaned.size() : comma + 1;
        if (item.empty()) continue;
        uint32_t d = 0, server = 0;
        uint64_t seq = 0;
        size_t a = item.find('-'), b = item.find('-', a + 1);
        if (a == std::string::npos || b == std::string::npos) return std::nullopt;
        if (!parse_number(std::string_view(item).substr(0, a), d) ||
            !parse_number(std::string_view(item).substr(a + 1, b - a - 1), server) ||
            !parse_number(std::string_view(item).substr(b + 1), seq)) {
            return std::nullopt;
        }
        s[d] = {server, seq};
    }
    return s;
}

// The GTID of a "BEGIN GTID 0-1-6" / "GTID 0-1-6" event Info text.
std::optional<std::pair<uint32_t, std::pair<uint32_t, uint64_t>>> gtid_of_info(
    std::string_view info) {
    size_t at = info.find("GTID ");
    if (at == std::string_view::npos) return std::nullopt;
    std::string_view rest = info.substr(at + 5);
    size_t end = rest.find(' ');
    auto parsed = parse_gtid_list(rest.substr(0, end));
    if (!parsed || parsed->size() != 1) return std::nullopt;
    return *parsed->begin();
}

// Every domain of `target` is at its seq_no in `state` (extra domains in `state` are older
// than anything the replica applied, so they do not matter).
bool reaches(const GtidState& state, const GtidState& target) {
    for (const auto& [domain, v] : target) {
        auto it = state.find(domain);
        if (it == state.end() || it->second.second != v.second) return false;
    }
    return true;
}

bool beyond(const GtidState& state, const GtidState& target) {
    for (const auto& [domain, v] : target) {
        auto it = state.find(domain);
        if (it != state.end() && it->second.second > v.second) return true;
    }
    return false;
}

Result<StreamStart> mariadb_primary_start(mysql::Connection& reader) {
    auto r = reader.query("SHOW STATUS LIKE 'binlog_snapshot_%'");
    if (!r) return r.error();
    std::optional<std::string> file;
    std::optional<uint64_t> pos;
    for (const auto& row : r->rows) {
        if (row.size() < 2 || !row[0]) continue;
        if (*row[0] == "Binlog_snapshot_file") file = row[1];
        if (*row[0] == "Binlog_snapshot_position") pos = parse_u64(row[1]);
    }
    if (!file || file->empty() || !pos) {
        return make_error(Errc::FailedPrecondition,
                          "the server reports no binlog_snapshot_file/position: binary logging "
                          "must be enabled for CDC");
    }
    StreamStart s;
    s.position = {*file, *pos};
    s.exact = true;
    s.how = "the consistent snapshot's own binlog position (binlog_snapshot_file/position)";
    return s;
}

// The replica's GTID position as of the open snapshot: mysql.gtid_slave_pos is an InnoDB
// table updated in the same transaction as each replicated change, so the view sees the
// GTID that matches its data.
Result<std::optional<GtidState>> replica_gtid_in_view(mysql::Connection& reader) {
    auto r = reader.query(
        "SELECT domain_id, server_id, seq_no FROM mysql.gtid_slave_pos ORDER BY domain_id, sub_id");
    if (!r) return std::optional<GtidState>{};  // no table or no privilege: not usable
    GtidState s;
    for (const auto& row : r->rows) {
        auto d = parse_u64(row[0]);
        auto server = parse_u64(row[1]);
        auto seq = parse_u64(row[2]);
        if (!d || !server || !seq) continue;
        s[static_cast<uint32_t>(*d)] = {static_cast<uint32_t>(*server), *seq};  // last sub_id wins
    }
    if (s.empty()) return std::optional<GtidState>{};
    return std::optional<GtidState>(std::move(s));
}

// The start of the first Gtid_list event in `file` and the state it lists.
Result<std::optional<std::pair<GtidState, uint64_t>>> file_gtid_list(mysql::Connection& primary,
                                                                     const std::string& file) {
    auto r = primary.query("SHOW BINLOG EVENTS IN " + primary.quote_literal(file) + " LIMIT 4");
    if (!r) return r.error();
    auto type = r->column("Event_type");
    auto info = r->column("Info");
    auto end = r->column("End_log_pos");
    if (!type || !info || !end) return std::optional<std::pair<GtidState, uint64_t>>{};
    for (const auto& row : r->rows) {
        if (row[*type] && *row[*type] == "Gtid_list") {
            auto s = parse_gtid_list(row[*info].value_or(""));
            auto e = parse_u64(row[*end]);
            if (s && e) return std::optional<std::pair<GtidState, uint64_t>>({*s, *e});
        }
    }
    return std::optional<std::pair<GtidState, uint64_t>>{};
}

// Finds the position in the primary's binlog right after the transaction that brought its
// GTID state to `target`, by reading SHOW BINLOG EVENTS of the file that holds it.
Result<std::optional<model::BinlogPosition>> find_gtid_position(mysql::Connection& primary,
                                                                const GtidState& target) {
    auto logs = primary.query("SHOW BINARY LOGS");
    if (!logs) return logs.error();
    // The newest file whose starting state is not past the target.
    std::string file;
    GtidState state;
    uint64_t pos = 0;
    for (auto it = logs->rows.rbegin(); it != logs->rows.rend(); ++it) {
        if (!(*it)[0]) continue;
        auto list = file_gtid_list(primary, *(*it)[0]);
        if (!list) return list.error();
        if (!*list) continue;
        if (!beyond((*list)->first, target)) {
            file = *(*it)[0];
            state = (*list)->first;
            pos = (*list)->second;
            break;
        }
    }
    if (file.empty()) return std::optional<model::BinlogPosition>{};
    if (reaches(state, target)) return std::optional<model::BinlogPosition>({file, pos});
    constexpr uint64_t kPage = 10000;
    std::optional<std::pair<uint32_t, std::pair<uint32_t, uint64_t>>> pending;
    bool standalone = false;  // a GTID without BEGIN (DDL): its transaction is the next event
    for (uint64_t from = pos;;) {
        auto page =
            primary.query("SHOW BINLOG EVENTS IN " + primary.quote_literal(file) + " FROM " +
                          std::to_string(from) + " LIMIT " + std::to_string(kPage));
        if (!page) return page.error();
        auto type = page->column("Event_type");
        auto info = page->column("Info");
        auto end = page->column("End_log_pos");
        if (!type || !info || !end || page->rows.empty()) break;
        for (const auto& row : page->rows) {
            std::string t = row[*type].value_or("");
            std::string text = row[*info].value_or("");
            auto e = parse_u64(row[*end]);
            if (!e) continue;
            from = *e;
            if (t == "Gtid") {
                pending = gtid_of_info(text);
                standalone = text.rfind("BEGIN", 0) != 0;
                continue;
            }
            if (!pending) continue;
            bool ends = t == "Xid" || (t == "Query" && (standalone || text == "COMMIT"));
            if (!ends) continue;
            state[pending->first] = pending->second;
            pending.reset();
            if (reaches(state, target)) return std::optional<model::BinlogPosition>({file, *e});
            if (beyond(state, target)) return std::optional<model::BinlogPosition>{};
        }
        if (page->rows.size() < kPage) break;
    }
    return std::optional<model::BinlogPosition>{};
}

Result<StreamStart> replica_start(mysql::Connection& reader, mysql::Connection& primary) {
    // The fallback first, before the view: the replica's executed position on the primary.
    std::optional<model::BinlogPosition> executed;
    auto status = reader.query(reader.is_mariadb() || reader.version_number() < 80022
                                   ? "SHOW SLAVE STATUS"
                                   : "SHOW REPLICA STATUS");
    if (status && !status->rows.empty()) {
        auto file = status->column("Relay_Master_Log_File");
        if (!file) file = status->column("Relay_Source_Log_File");
        auto pos = status->column("Exec_Master_Log_Pos");
        if (!pos) pos = status->column("Exec_Source_Log_Pos");
        if (file && pos && status->rows[0][*file] && parse_u64(status->rows[0][*pos])) {
            executed =
                model::BinlogPosition{*status->rows[0][*file], *parse_u64(status->rows[0][*pos])};
        }
    }
    Status opened = open_view(reader);
    if (!opened) return opened.error();
    if (primary.is_mariadb() && reader.is_mariadb()) {
        auto gtid = replica_gtid_in_view(reader);
        if (!gtid) return gtid.error();
        if (*gtid) {
            auto found = find_gtid_position(primary, **gtid);
            if (!found) return found.error();
            if (*found) {
                // Cross-check with the server's own mapping of a position to a GTID state.
                auto check = primary.query("SELECT BINLOG_GTID_POS(" +
                                           primary.quote_literal((*found)->file) + ", " +
                                           std::to_string((*found)->pos) + ")");
                auto mapped = check && !check->rows.empty() && check->rows[0][0]
                                  ? parse_gtid_list(*check->rows[0][0])
                                  : std::nullopt;
                if (mapped && reaches(*mapped, **gtid)) {
                    StreamStart s;
                    s.position = **found;
                    s.gtid = gtid_text(**gtid);
                    s.exact = true;
                    s.how = "the snapshot host's GTID position " + s.gtid +
                            " in the view, found in MYSQL_HOST's binlog";
                    return s;
                }
            }
            spdlog::warn(
                "snapshot: the snapshot host's GTID position {} was not found in "
                "MYSQL_HOST's binary logs",
                gtid_text(**gtid));
        }
    }
    if (!executed) {
        return make_error(Errc::FailedPrecondition,
                          "cannot tie a snapshot read from MYSQL_SNAPSHOT_HOST to a position on "
                          "MYSQL_HOST: it has no GTID position for MYSQL_HOST's binlog and SHOW "
                          "SLAVE STATUS shows no replication from it; point MYSQL_SNAPSHOT_HOST at "
                          "a replica of MYSQL_HOST (and grant the user SLAVE MONITOR or "
                          "REPLICATION CLIENT there), or unset it to read from MYSQL_HOST");
    }
    StreamStart s;
    s.position = *executed;
    s.exact = false;
    s.how =
        "the snapshot host's executed position on MYSQL_HOST before the view (at-least-once: "
        "changes between it and the view are streamed again; a consumer applying events by "
        "key converges)";
    return s;
}

}  // namespace

Status prepare_reader_session(mysql::Connection& reader) {
    for (const char* sql :
         {"SET SESSION time_zone = '+00:00'", "SET SESSION character_set_results = NULL",
          "SET SESSION net_write_timeout = 3600", "SET SESSION net_read_timeout = 3600",
          "SET SESSION wait_timeout = 86400"}) {
        Status st = reader.execute(sql);
        if (!st) return st;
    }
    return {};
}

Status open_view(mysql::Connection& reader) {
    Status st = reader.execute("SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ");
    if (!st) return st;
    return reader.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY");
}

Result<StreamStart> open_view_and_find_start(mysql::Connection& reader, mysql::Connection& primary,
                                             bool reader_is_primary) {
    if (!reader_is_primary) return replica_start(reader, primary);
    if (reader.is_mariadb()) {
        Status st = open_view(reader);
        if (!st) return st.error();
        return mariadb_primary_start(reader);
    }
    // MySQL has no position tied to a consistent snapshot without a lock: take the position
    // first, so the stream starts at or before the view.
    auto before = mysql::current_binlog_position(reader);
    if (!before) return before.error();
    Status st = open_view(reader);
    if (!st) return st.error();
    StreamStart s;
    s.position = {before->first, before->second};
    s.exact = false;
    s.how =
        "MySQL's position just before the view (at-least-once: changes between it and the "
        "view are streamed again; a consumer applying events by key converges)";
    return s;
}

}  // namespace cdc::snapshot
