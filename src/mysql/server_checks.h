// Server checks: is this server configured so CDC can work, and can this user do it?
//
//   auto outcomes = run_server_checks(conn, {{"shop", "orders"}}, /*our_server_id=*/1001);
//   for (const auto& o : outcomes) print(o.name, o.ok, o.detail);   // `mysql-cdc check`
//   if (Status s = first_failure(outcomes); !s) return s.error();  // the daemon stops
//
// Each check runs even when an earlier one failed, so `check` lists everything to fix at once.
// Also the binlog position queries the daemon needs before streaming.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"
#include "model/table_id.h"
#include "mysql/connection.h"

namespace cdc::mysql {

struct CheckOutcome {
    std::string name;  // "binlog_format", "privileges", "table `shop`.`orders`", ...
    bool ok = false;
    std::string detail;    // ok: what was found; !ok: the one-line message with what to do
    bool warning = false;  // ok, but worth telling (e.g. no SELECT when no snapshot is asked)
    Errc errc = Errc::FailedPrecondition;  // for !ok: Unavailable when a query itself failed
};

std::vector<CheckOutcome> run_server_checks(Connection& conn,
                                            const std::vector<model::TableId>& tables,
                                            uint32_t our_server_id,
                                            bool snapshot_requested = false);

// The first failed outcome as an Error, or success.
Status first_failure(const std::vector<CheckOutcome>& outcomes);

// The file is in SHOW BINARY LOGS and pos is within it; else DataLoss saying what to do
// (purged, or a reset when the file is newer than the server's newest).
Status check_position_available(Connection& conn, const std::string& file, uint64_t pos);

// Before resuming from a saved checkpoint: the position is available, an event starts there,
// and the saved GTID (`gtid`, empty in a seed connector's state file) is the server's at that
// position: on MariaDB by BINLOG_GTID_POS, on MySQL only that gtid_executed holds it
// (binlog_history.h). Else DataLoss saying the history was reset or replaced.
Status check_resume_position(Connection& conn, const std::string& file, uint64_t pos,
                             const std::string& gtid);

// The oldest binlog file the server still has (SHOW BINARY LOGS), "" when it lists none.
Result<std::string> first_binlog_file(Connection& conn);

// The server's current write position (SHOW MASTER STATUS; SHOW BINARY LOG STATUS on MySQL
// 8.2+, where the old statement is deprecated and removed in 8.4).
Result<std::pair<std::string, uint64_t>> current_binlog_position(Connection& conn);

}  // namespace cdc::mysql
