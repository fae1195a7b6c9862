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
// between transactions {end of the last one, 0}.
#pragma once

#include <cstdint>
#include <string>

#include "binlog/event.h"
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
    int64_t commit_time_ms_ = 0;
    uint32_t server_id_ = 0;
};

}  // namespace cdc::stream
