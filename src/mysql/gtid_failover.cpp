#include "mysql/gtid_failover.h"

#include "common/parse_number.h"

namespace cdc::mysql {

Result<ServerGtidInfo> read_server_gtid_info(Connection& conn) {
    ServerGtidInfo info;
    info.mariadb = conn.is_mariadb();
    auto r = conn.query(info.mariadb ? "SELECT @@server_id, @@GLOBAL.gtid_binlog_pos"
                                     : "SELECT @@server_id, IF(@@GLOBAL.gtid_mode = 'ON', "
                                       "@@GLOBAL.gtid_executed, '')");
    if (!r) return r.error();
    if (!r->rows.empty()) {
        uint64_t id = 0;
        if (r->rows[0][0] && parse_number(*r->rows[0][0], id)) {
            info.server_id = static_cast<uint32_t>(id);
        }
        (info.mariadb ? info.gtid_binlog_pos : info.gtid_executed) = r->rows[0][1].value_or("");
    }
    if (info.mariadb) {
        // Needs BINLOG MONITOR / SLAVE MONITOR / REPLICATION CLIENT depending on the version;
        // without it the server is taken for a replica (waited for rather than refused).
        auto slaves = conn.query("SHOW ALL SLAVES STATUS");
        if (!slaves) {
            info.replicating = true;
        } else if (auto io = slaves->column("Slave_IO_Running")) {
            for (const auto& row : slaves->rows) {
                if (row[*io] && *row[*io] != "No") info.replicating = true;
            }
        }
    } else {
        // SHOW REPLICA STATUS since 8.0.22 (Replica_IO_Running), SHOW SLAVE STATUS before.
        auto replicas = conn.query("SHOW REPLICA STATUS");
        if (!replicas) replicas = conn.query("SHOW SLAVE STATUS");
        if (!replicas) {
            info.replicating = true;
        } else {
            auto io = replicas->column("Replica_IO_Running");
            if (!io) io = replicas->column("Slave_IO_Running");
            for (const auto& row : replicas->rows) {
                if (io && row[*io] && *row[*io] != "No") info.replicating = true;
            }
        }
    }
    return info;
}

Result<std::optional<std::string>> mariadb_gtid_state_at(Connection& conn, const std::string& file,
                                                         uint64_t pos) {
    auto r = conn.query("SELECT BINLOG_GTID_POS(" + conn.quote_literal(file) + ", " +
                        std::to_string(pos) + ")");
    if (!r) return r.error();
    if (r->rows.empty() || r->rows.front().empty()) return std::optional<std::string>();
    return r->rows.front().front();
}

Result<std::optional<MySqlStart>> mysql_start_with_gtids(Connection& conn) {
    // log_status reads the binlog position and gtid_executed under one lock: the set is
    // exactly the transactions before the position (SHOW MASTER STATUS reads them apart).
    auto r = conn.query(
        "SELECT JSON_UNQUOTE(JSON_EXTRACT(LOCAL, '$.binary_log_file')), "
        "JSON_EXTRACT(LOCAL, '$.binary_log_position'), "
        "JSON_UNQUOTE(JSON_EXTRACT(LOCAL, '$.gtid_executed')) "
        "FROM performance_schema.log_status WHERE @@GLOBAL.gtid_mode = 'ON'");
    if (!r || r->rows.empty() || r->rows[0].size() < 3) return std::optional<MySqlStart>();
    const auto& row = r->rows[0];
    MySqlStart start;
    if (!row[0] || !row[1] || !row[2] || !parse_number(*row[1], start.pos)) {
        return std::optional<MySqlStart>();
    }
    start.file = *row[0];
    start.gtid_executed = *row[2];
    if (start.file.empty()) return std::optional<MySqlStart>();
    return std::optional<MySqlStart>(std::move(start));
}

HistoryVerdict judge_history(const model::GtidSet& saved, const model::GtidSet& server_executed,
                             bool replicating) {
    if (server_executed.contains(saved)) return HistoryVerdict::Holds;
    return replicating ? HistoryVerdict::Lagging : HistoryVerdict::Missing;
}

std::string lagging_message(const std::string& host, const model::GtidSet& saved,
                            const model::GtidSet& server_executed) {
    return "MySQL at " + host + " is a replica that has not yet received every transaction " +
           "already emitted (missing " + saved.minus(server_executed).to_string() +
           " of the saved GTID set): waiting for it to catch up, trying the other hosts "
           "meanwhile";
}

std::string missing_message(const std::string& host, const model::GtidSet& saved,
                            const model::GtidSet& server_executed) {
    return "MySQL at " + host + " lacks transactions mysql-cdc already emitted and is not " +
           "replicating, so it will not get them: missing " +
           saved.minus(server_executed).to_string() + " (its gtid_executed " +
           server_executed.to_string() +
           "); it was promoted without the old primary's last writes (or is another server). "
           "Refusing to continue from it: bring back the server that has them (or let this one "
           "replicate them), or accept the gap by moving the state file away and starting anew";
}

HistoryVerdict judge_history(const model::MariaGtidState& saved,
                             const model::MariaGtidState& server_binlog_pos, bool replicating) {
    if (server_binlog_pos.covers(saved)) return HistoryVerdict::Holds;
    return replicating ? HistoryVerdict::Lagging : HistoryVerdict::Missing;
}

std::string missing_transactions(const model::MariaGtidState& saved,
                                 const model::MariaGtidState& server) {
    std::string out;
    for (const model::MariaGtid& g : saved.domains()) {
        if (server.contains(g.domain, g.seq)) continue;
        const model::MariaGtid* has = server.find(g.domain);
        out += (out.empty() ? "" : ", ") + g.to_string() + " (server at " +
               (has ? has->to_string() : "nothing in domain " + std::to_string(g.domain)) + ")";
    }
    return out;
}

std::string lagging_message(const std::string& host, const model::MariaGtidState& saved,
                            const std::string& server_binlog_pos) {
    auto server = model::MariaGtidState::parse(server_binlog_pos).value_or(model::MariaGtidState{});
    return "MySQL at " + host + " is a replica that has not yet received every transaction " +
           "already emitted (saved GTID state " + saved.to_string() + ", its gtid_binlog_pos " +
           (server_binlog_pos.empty() ? "empty" : server_binlog_pos) + ", behind at " +
           missing_transactions(saved, server) +
           "): waiting for it to catch up, trying the other hosts meanwhile";
}

std::string missing_message(const std::string& host, const model::MariaGtidState& saved,
                            const std::string& server_binlog_pos) {
    auto server = model::MariaGtidState::parse(server_binlog_pos).value_or(model::MariaGtidState{});
    return "MySQL at " + host + " lacks transactions mysql-cdc already emitted and is not " +
           "replicating, so it will not get them: missing " + missing_transactions(saved, server) +
           " (saved GTID state " + saved.to_string() + ", its gtid_binlog_pos " +
           (server_binlog_pos.empty() ? "empty" : server_binlog_pos) +
           "); it was promoted without the old primary's last writes (or is another server). "
           "Refusing to continue from it: bring back the server that has them (or let this one "
           "replicate them), or accept the gap by moving the state file away and starting anew";
}

std::string diverged_message(const std::string& host, const std::string& saved_state,
                             const std::string& server_said) {
    return "MySQL at " + host + " refused to stream after the saved GTID state " + saved_state +
           ": its binlog does not hold those transactions (diverged: e.g. a replica promoted "
           "without the old primary's last writes, which then took their sequence numbers; or "
           "purged). Refusing to continue from it; the state keeps what was emitted. Bring back "
           "the server that has them, or accept the gap by moving the state file away and "
           "starting anew (server said: " +
           server_said + ")";
}

}  // namespace cdc::mysql
