// The snapshot's consistent view and the binlog position on the primary that matches it, taken
// without locking the primary (the algorithm and its reasons: docs/SNAPSHOT.md).
//
//   MariaDB, read from the primary: START TRANSACTION WITH CONSISTENT SNAPSHOT, then
//     binlog_snapshot_file/position, which the server fixes at that moment: exact.
//   Read from a replica (MYSQL_SNAPSHOT_HOST): the replica's GTID position inside the same
//     snapshot (mysql.gtid_slave_pos is transactional), found in the primary's binlog: exact.
//     Without it: the replica's executed primary position taken just before the snapshot
//     (at-least-once: the stream starts at or before the view).
//   MySQL, read from the primary: the primary's position taken just before the snapshot
//     (at-least-once).
#pragma once

#include <string>

#include "common/result.h"
#include "model/position.h"
#include "mysql/connection.h"

namespace cdc::snapshot {

struct StreamStart {
    model::BinlogPosition position;  // on the primary
    std::string gtid;                // the GTID state there, when known
    bool exact = false;              // false: at-least-once (the stream may start earlier)
    std::string how;                 // one line for the log
};

// Prepares a reader session: UTC time zone, results in the columns' own character sets, long
// network timeouts (a blocked sink must not make the server drop a streaming query).
Status prepare_reader_session(mysql::Connection& reader);

// Opens a consistent read-only transaction on `reader` (prepared) and works out where the
// stream must start on `primary`. `reader_is_primary` when both are the same server.
Result<StreamStart> open_view_and_find_start(mysql::Connection& reader, mysql::Connection& primary,
                                             bool reader_is_primary);

// Opens a consistent read-only transaction without working out a position (a resumed
// snapshot keeps the stream start it recorded).
Status open_view(mysql::Connection& reader);

}  // namespace cdc::snapshot
