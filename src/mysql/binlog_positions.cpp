// Binlog position queries declared in server_checks.h. The decisions and messages of the
// resume checks are in binlog_history.h.
#include "common/parse_number.h"
#include "mysql/binlog_history.h"
#include "mysql/check_messages.h"
#include "mysql/errors.h"
#include "mysql/server_checks.h"

namespace cdc::mysql {
namespace {

constexpr uint64_t kFirstEventPos = 4;  // after the file's magic bytes

// Why the saved file is not in SHOW BINARY LOGS: purged (older than the oldest), reset (newer
// than the newest), or another server's (another base name).
std::string missing_file_message(const std::string& file, uint64_t pos, const std::string& oldest,
                                 const std::string& newest) {
    const auto saved = split_binlog_name(file);
    const auto last = split_binlog_name(newest);
    if (saved && last && saved->base == last->base && saved->index > last->index) {
        return file_newer_than_newest_message(file, pos, newest);
    }
    if (saved && last && saved->base != last->base) {
        return file_of_other_server_message(file, pos, newest);
    }
    return position_gone_message(file, pos, oldest);
}

// The event that starts at pos (SHOW BINLOG EVENTS): nullopt at the end of the file, an error
// DataLoss when pos is not where an event starts (the server answers 1220, "Wrong offset").
struct EventAt {
    std::string type;  // "Gtid", "Query", ...
    uint64_t end = 0;  // End_log_pos
    std::string info;
};

Result<std::optional<EventAt>> event_at(Connection& conn, const std::string& file, uint64_t pos) {
    if (pos < kFirstEventPos) {
        return make_error(Errc::DataLoss,
                          inside_event_message(file, pos, "a binlog's first event starts at 4"));
    }
    auto r = conn.query("SHOW BINLOG EVENTS IN " + conn.quote_literal(file) + " FROM " +
                        std::to_string(pos) + " LIMIT 1");
    if (!r) {
        if (conn.last_errno() != kErErrorWhenExecutingCommand) return r.error();
        return make_error(Errc::DataLoss, inside_event_message(file, pos, conn.last_error_text()));
    }
    if (r->rows.empty()) return std::optional<EventAt>();
    const auto type = r->column("Event_type");
    const auto end = r->column("End_log_pos");
    const auto info = r->column("Info");
    const Row& row = r->rows.front();
    if (!type || !end || !info || !row[*type] || !parse_u64(row[*end])) {
        return make_error(Errc::Internal, "SHOW BINLOG EVENTS returned an unexpected row");
    }
    return std::optional<EventAt>(
        EventAt{*row[*type], *parse_u64(row[*end]), row[*info].value_or("")});
}

// BINLOG_GTID_POS(file, pos): the GTID state there; nullopt when the server knows no such
// position (not an event boundary of that file).
Result<std::optional<std::string>> mariadb_gtid_state_at(Connection& conn, const std::string& file,
                                                         uint64_t pos) {
    auto r = conn.query("SELECT BINLOG_GTID_POS(" + conn.quote_literal(file) + ", " +
                        std::to_string(pos) + ")");
    if (!r) return r.error();
    if (r->rows.empty() || r->rows.front().empty()) return std::optional<std::string>();
    return r->rows.front().front();
}

Status check_mariadb_gtid(Connection& conn, const std::string& file, uint64_t pos,
                          const std::string& gtid, const std::optional<EventAt>& event) {
    auto state = mariadb_gtid_state_at(conn, file, pos);
    if (!state) return state.error();
    // BINLOG_GTID_POS also tells an event boundary exactly (SHOW BINLOG EVENTS can take
    // bytes inside an event for a header), so it is asked even without a saved GTID.
    if (!*state) return make_error(Errc::DataLoss, inside_event_message(file, pos, ""));
    if (gtid.empty()) return {};  // a state file of the seed connector: nothing to compare
    const auto saved = parse_mariadb_gtids(gtid);
    const auto there = parse_mariadb_gtids(**state);
    // The transaction of the saved GTID ended before pos.
    if (saved && there && state_holds(*there, *saved)) return {};
    std::string server_has = (*state)->empty() ? std::string("no GTID before that position")
                                               : "GTID state " + **state + " at that position";
    if (event && event->type == "Gtid") {
        // A transaction in progress was saved at its start: the event there is its GTID.
        auto after = mariadb_gtid_state_at(conn, file, event->end);
        if (!after) return after.error();
        const auto with_it = *after ? parse_mariadb_gtids(**after) : std::nullopt;
        if (saved && saved->size() == 1 && with_it && state_holds(*with_it, *saved)) return {};
        server_has += " and the event there is " + event->info;
    }
    return make_error(Errc::DataLoss, history_replaced_message(file, pos, gtid, server_has));
}

// MySQL has no position-to-GTID function: what can be checked is that the server executed the
// saved GTID at all (RESET MASTER clears gtid_executed; another server has other UUIDs).
Status check_mysql_gtid(Connection& conn, const std::string& file, uint64_t pos,
                        const std::string& gtid) {
    auto executed = conn.query("SELECT @@GLOBAL.gtid_executed");
    if (!executed) return executed.error();
    std::string set =
        executed->rows.empty() ? std::string() : executed->rows.front().front().value_or("");
    if (!is_mysql_gtid(gtid)) {
        // An anonymous transaction (gtid_mode OFF) has nothing to compare; a MariaDB GTID
        // means the state file was written against another server.
        if (!parse_mariadb_gtids(gtid)) return {};
        return make_error(Errc::DataLoss,
                          history_replaced_message(file, pos, gtid,
                                                   "MySQL GTIDs (gtid_executed " +
                                                       shorten(set.empty() ? "empty" : set) + ")"));
    }
    auto subset =
        conn.query("SELECT GTID_SUBSET(" + conn.quote_literal(gtid) + ", @@GLOBAL.gtid_executed)");
    if (!subset) return subset.error();
    if (!subset->rows.empty() && subset->rows.front().front() == std::optional<std::string>("1")) {
        return {};
    }
    return make_error(Errc::DataLoss,
                      history_replaced_message(file, pos, gtid,
                                               "never executed it (gtid_executed " +
                                                   shorten(set.empty() ? "empty" : set) + ")"));
}

}  // namespace

Status check_position_available(Connection& conn, const std::string& file, uint64_t pos) {
    auto r = conn.query("SHOW BINARY LOGS");
    if (!r) return r.error();
    std::string oldest;
    std::string newest;
    for (const auto& row : r->rows) {
        if (row.size() < 2 || !row[0]) continue;
        if (oldest.empty()) oldest = *row[0];
        newest = *row[0];
        if (*row[0] != file) continue;
        const auto size = parse_u64(row[1]);
        if (!size) {
            return make_error(Errc::Internal, "SHOW BINARY LOGS gave no size for " + file);
        }
        if (pos > *size) {
            return make_error(Errc::DataLoss, position_beyond_end_message(file, pos, *size));
        }
        return {};
    }
    return make_error(Errc::DataLoss, missing_file_message(file, pos, oldest, newest));
}

Status check_resume_position(Connection& conn, const std::string& file, uint64_t pos,
                             const std::string& gtid) {
    Status available = check_position_available(conn, file, pos);
    if (!available) return available;
    auto event = event_at(conn, file, pos);
    if (!event) return event.error();
    if (conn.is_mariadb()) return check_mariadb_gtid(conn, file, pos, gtid, *event);
    if (gtid.empty()) return {};  // a state file of the seed connector: nothing to compare
    return check_mysql_gtid(conn, file, pos, gtid);
}

Result<std::string> first_binlog_file(Connection& conn) {
    auto r = conn.query("SHOW BINARY LOGS");
    if (!r) return r.error();
    for (const auto& row : r->rows) {
        if (!row.empty() && row[0]) return *row[0];
    }
    return std::string();
}

Result<std::pair<std::string, uint64_t>> current_binlog_position(Connection& conn) {
    const bool new_mysql = !conn.is_mariadb() && conn.version_number() >= 80200;
    auto r = conn.query(new_mysql ? "SHOW BINARY LOG STATUS" : "SHOW MASTER STATUS");
    if (!r) return r.error();
    if (r->rows.empty()) return make_error(Errc::FailedPrecondition, binlog_off_message());
    const auto& row = r->rows.front();
    const auto pos = row.size() >= 2 ? parse_u64(row[1]) : std::nullopt;
    if (!row[0] || !pos) {
        return make_error(Errc::Internal, "SHOW MASTER STATUS returned an unexpected row");
    }
    return std::pair{*row[0], *pos};
}

}  // namespace cdc::mysql
