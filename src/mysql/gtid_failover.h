// Failover by GTID (MariaDB): may the daemon stream from this server, given the GTID state it
// saved? The decision and its one-line messages are pure (unit-tested); the queries are in
// gtid_failover.cpp.
//
// The saved state names the transactions the daemon has emitted (all of each domain up to
// its seq). A server may continue from it when its binlog holds them: @@gtid_binlog_pos has
// every saved domain with a seq at least as high. Otherwise:
//   - Lagging: it is a running replica (its replication threads run): it will get them;
//     the daemon waits (retries with backoff, and tries the other hosts meanwhile).
//   - Missing: it is not replicating (a promoted replica, a stand-alone server): it lacks
//     transactions the daemon already emitted, for good (the old primary's writes it never
//     received). Refused, never skipped: resuming would build on a history the output
//     contradicts.
// A server whose seq is high enough but whose binlog holds other transactions under those
// numbers (diverged) is refused by MariaDB itself when the dump starts in strict mode
// (error 1236), which diverged_message() words.
// MySQL: the same verdict with its GTID sets: the server's gtid_executed must contain the saved
// set (a diverged server is refused by MySQL when the dump starts: ER_MASTER_HAS_PURGED_REQUIRED_
// GTIDS or the replica-has-more-GTIDs error, which diverged_message() words too).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/result.h"
#include "model/gtid_set.h"
#include "model/mariadb_gtid_state.h"
#include "mysql/connection.h"

namespace cdc::mysql {

struct ServerGtidInfo {
    uint32_t server_id = 0;  // @@server_id
    bool mariadb = false;
    std::string gtid_binlog_pos;  // MariaDB @@gtid_binlog_pos ("" without GTIDs)
    std::string gtid_executed;    // MySQL @@gtid_executed ("" unless gtid_mode is ON)
    bool replicating = false;     // a replica whose IO thread runs (SHOW ALL SLAVES STATUS)
};

Result<ServerGtidInfo> read_server_gtid_info(Connection& conn);

// BINLOG_GTID_POS(file, pos): MariaDB's GTID state at a position of its binlog (nullopt when
// it is not an event boundary there).
Result<std::optional<std::string>> mariadb_gtid_state_at(Connection& conn, const std::string& file,
                                                         uint64_t pos);

// MySQL: where a new stream starts, read together with the GTID set executed there
// (performance_schema.log_status, which needs BACKUP_ADMIN): nullopt when the server cannot
// say (no privilege, older than 8.0.14, gtid_mode not ON); the start is then by file/pos only.
struct MySqlStart {
    std::string file;
    uint64_t pos = 0;
    std::string gtid_executed;
};
Result<std::optional<MySqlStart>> mysql_start_with_gtids(Connection& conn);

enum class HistoryVerdict { Holds, Lagging, Missing };

HistoryVerdict judge_history(const model::MariaGtidState& saved,
                             const model::MariaGtidState& server_binlog_pos, bool replicating);

HistoryVerdict judge_history(const model::GtidSet& saved, const model::GtidSet& server_executed,
                             bool replicating);

// The saved domains the server lacks or has at a lower seq, e.g. "0-1-110 (server at 0-1-100)".
std::string missing_transactions(const model::MariaGtidState& saved,
                                 const model::MariaGtidState& server_binlog_pos);

// One line each: the host, the saved state, what the server has, what to do.
std::string lagging_message(const std::string& host, const model::MariaGtidState& saved,
                            const std::string& server_binlog_pos);
std::string missing_message(const std::string& host, const model::MariaGtidState& saved,
                            const std::string& server_binlog_pos);
// MySQL's: the saved GTIDs the server lacks.
std::string lagging_message(const std::string& host, const model::GtidSet& saved,
                            const model::GtidSet& server_executed);
std::string missing_message(const std::string& host, const model::GtidSet& saved,
                            const model::GtidSet& server_executed);
std::string diverged_message(const std::string& host, const std::string& saved_state,
                             const std::string& server_said);

}  // namespace cdc::mysql
