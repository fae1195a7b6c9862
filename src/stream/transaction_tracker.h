// TransactionTracker: where transactions start and end in the live binlog stream, and so
// which checkpoint is safe after a flush.
//
// Fed every decoded event (including the events inside a TRANSACTION_PAYLOAD) through
// on_event(), and after each top-level event with finish_event(its end position). It knows:
//   - the current file (ROTATE, also the artificial one the server sends when a dump starts),
//   - the start of the transaction in progress: the GTID event (MySQL, MariaDB) or, on servers
//     without GTIDs, the QUERY "BEGIN"; a DDL or other standalone statement is a transaction of
//     its own; MySQL's QUERY "XA START ..." opens a group as BEGIN does, and the XA_PREPARE
//     event ends the group of an XA PREPARE (its XA COMMIT is a group of its own, whose
//     changes XaGate emits: xa_gate.h),
//   - how many changes of the current transaction were emitted (row_index),
//   - when the transaction committed (commit_time_ms): taken from what precedes its rows,
//     since they are emitted before its XID is read. MySQL 8.0.1+: the GTID event's
//     immediate_commit_timestamp; MariaDB: the GTID event's header timestamp (the committing
//     statement's second); without either: the header timestamp of the event that opened
//     the transaction (the GTID event, BEGIN, the statement). An XA transaction's changes,
//     emitted at its XA COMMIT, get the XA COMMIT group's time,
// and from that the checkpoint: inside a transaction {its start, skip_rows = changes emitted};
// between transactions {end of the last one, 0}. The checkpoint's gtid_state holds the
// transactions that ended before its position: MariaDB's GTID of a transaction joins it when
// the transaction ends (one small update per transaction, none per change).
// MySQL's GTID joins a model::GtidSet the same way, when the checkpoint it was reset from had
// one (the set is known only from a start that read the server's gtid_executed with its position).
#pragma once

#include <cstdint>
#include <string>

#include "binlog/event.h"
#include "model/gtid_set.h"
#include "model/mariadb_gtid_state.h"
#include "model/position.h"

namespace cdc::stream {

class TransactionTracker {
public:
    // Resuming from `checkpoint`: its first skip_rows changes are dropped (already delivered).
    void reset(const model::Checkpoint& checkpoint);

    // Call for every decoded event, before its rows are emitted. `top_level` is false for the
    // events inside a TRANSACTION_PAYLOAD.
    void on_event(const binlog::Event& event, bool top_level);
    // Call after a top-level event and its rows were handled; end_pos = header.log_pos.
    void finish_event(const binlog::EventHeader& header);

    // For each change of a watched table, in order: its index within the transaction, and
    // whether it was delivered before the restart (then drop it).
    uint64_t next_row_index() const { return row_index_; }
    bool take_row() {  // returns true when the change must be delivered
        return row_index_++ >= skip_rows_;
    }

    model::Checkpoint checkpoint() const;
    bool in_transaction() const { return in_trx_; }
    const std::string& file() const { return file_; }
    uint64_t transaction_start() const { return trx_start_; }
    // Between transactions: the end of the last one (or of the last event outside any).
    uint64_t end_position() const { return pos_; }
    const std::string& gtid() const { return gtid_; }
    // Milliseconds since the epoch; 0 before the first transaction's start was seen.
    int64_t commit_time_ms() const { return commit_time_ms_; }

    // The server the events come from (@@server_id): recorded in each checkpoint, since its
    // file:pos mean nothing on another server.
    void set_source_server(uint32_t server_id) {
        source_server_id_ = server_id;
        next_source_server_id_ = 0;
    }
    // A dump by GTID: until the server's first ROTATE names its file, the position is still
    // the checkpoint's, of the checkpoint's server; the new server's from that ROTATE on.
    void set_source_server_at_rotate(uint32_t server_id) { next_source_server_id_ = server_id; }
    uint32_t source_server() const { return source_server_id_; }
    // The current (or last) transaction's MariaDB GTID, when it has one.
    const model::MariaGtid* mariadb_gtid() const { return trx_has_gtid_ ? &trx_gtid_ : nullptr; }
    // After a resume by GTID: the first transaction the server sends must be one the state
    // does not hold (the next of its domain). Checked at its GTID event; the error says why.
    void expect_after_state() { check_first_gtid_ = true; }
    const std::string& unexpected_start() const { return unexpected_start_; }
    // MySQL: reset() from a checkpoint whose empty gtid_state is the empty set (a start on a
    // server with GTIDs and none executed yet), not "unknown": track from it.
    void track_mysql_gtids_from_empty() {
        if (gtid_state_.empty() && !has_mysql_set_) has_mysql_set_ = true;
    }

private:
    void begin(uint64_t start, int64_t commit_time_ms);
    void end_after_event() { end_pending_ = true; }

    std::string file_;
    uint64_t pos_ = 4;  // end of the last finished transaction (or of the last event
                        // outside any transaction)
    bool in_trx_ = false;
    bool begun_by_gtid_ = false;  // a GTID opened it; its BEGIN (if any) is not a new start
    bool saw_begin_ = false;      // inside BEGIN ... COMMIT/XID
    bool standalone_ = false;     // MariaDB FL_STANDALONE: one statement, no BEGIN/COMMIT
    bool end_pending_ = false;
    uint64_t trx_start_ = 0;
    uint64_t row_index_ = 0;
    uint64_t skip_rows_ = 0;  // applies to the first transaction after reset() only
    std::string gtid_;
    model::MariaGtidState gtid_state_;  // transactions ended before pos_
    model::MariaGtid trx_gtid_;         // the current transaction's, joins gtid_state_ at its end
    bool trx_has_gtid_ = false;
    bool trx_gtid_pending_ = false;  // trx_gtid_ not yet in gtid_state_
    bool check_first_gtid_ = false;
    // MySQL: the executed set before pos_, when known (has_mysql_set_), and the current
    // transaction's GTID, which joins it at the transaction's end.
    model::GtidSet mysql_set_;
    bool has_mysql_set_ = false;
    model::GtidSet::Uuid trx_sid_{};
    std::string trx_tag_;
    int64_t trx_gno_ = 0;
    bool trx_mysql_pending_ = false;
    std::string unexpected_start_;
    uint32_t source_server_id_ = 0;
    uint32_t next_source_server_id_ = 0;
    int64_t commit_time_ms_ = 0;
    uint32_t server_id_ = 0;
};

}  // namespace cdc::stream
