// PreparedXaStore: where the event groups of prepared XA transactions wait for their XA COMMIT.
//
// An XA transaction is written to the binlog when it is prepared (XA START .. XA END, ending
// with an XA_PREPARE event), but it is committed, or rolled back, later, by an XA COMMIT or
// XA ROLLBACK that has an event group of its own, any number of transactions, binlog files
// and daemon restarts later. XaGate (xa_gate.h) holds the prepare group back and emits its
// changes at the commit; a store keeps the group in between:
//
//   store.begin_capture(group_start, fde);  store.capture(event) ...   // the XA PREPARE group
//   store.keep_capture(xid);              // at XA_PREPARE (XaFileStore: durable at sync())
//   ...
//   auto group = store.find(xid, commit_end);   // at the XA COMMIT / XA ROLLBACK
//   store.read(*group, emit);             // its events, FORMAT_DESCRIPTION first
//   store.resolve(*group, commit_end);    // kept until a checkpoint at or past commit_end
//   store.checkpoint_saved(checkpoint);   // forgets what the checkpoint has passed
//
// A group is kept until a checkpoint past its resolution is saved: a restart before that
// replays the XA COMMIT, which must find the group again. So several groups of one XID may
// be kept at once (an XID may be used again once its transaction is over); the one an
// XA COMMIT at position C resolves is the last one prepared before C (the server allows one
// prepared transaction per XID at a time). XaMemoryStore, which never resumes, takes the
// XID's last unresolved one.
//
// XaFileStore (daemon: files in the state directory, survive crashes) and XaMemoryStore
// (`decode`, unit tests) implement it.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "binlog/event.h"
#include "common/byte_reader.h"
#include "common/result.h"
#include "model/position.h"

namespace cdc::stream {

// Binlog positions in binlog order: file names by their numeric extension (mysql-bin.000009
// before mysql-bin.000010, and before mysql-bin.1000000), then the offset.
bool position_before(const model::BinlogPosition& a, const model::BinlogPosition& b);

// A kept XA PREPARE group.
struct PreparedXa {
    uint64_t id = 0;  // the store's handle
    binlog::Xid xid;
    model::BinlogPosition prepared_at;                 // where its XA PREPARE group starts
    std::optional<model::BinlogPosition> resolved_at;  // end of its XA COMMIT/ROLLBACK group
};

class PreparedXaStore {
public:
    // Receives one event (header .. checksum) and its offset in the kept group.
    using EventSink = std::function<Status(Bytes event, uint64_t offset)>;

    virtual ~PreparedXaStore() = default;

    // Begins keeping the XA PREPARE group that starts at `start`, decoded with the
    // FORMAT_DESCRIPTION `fde` (its raw event). Drops a capture left unfinished.
    virtual Status begin_capture(const model::BinlogPosition& start, Bytes fde) = 0;
    virtual Status capture(Bytes event) = 0;
    // The group is complete (XA_PREPARE): kept as `xid`'s.
    virtual Status keep_capture(const binlog::Xid& xid) = 0;
    // The captured group so far (XA COMMIT ... ONE PHASE: committed at its XA_PREPARE).
    virtual Status read_capture(const EventSink& sink) = 0;
    virtual Status drop_capture() = 0;

    // The group an XA COMMIT/ROLLBACK of `xid` ending at `at` resolves, if kept.
    virtual Result<std::optional<PreparedXa>> find(const binlog::Xid& xid,
                                                   const model::BinlogPosition& at) = 0;
    virtual Status read(const PreparedXa& group, const EventSink& sink) = 0;
    virtual Status resolve(const PreparedXa& group, const model::BinlogPosition& at) = 0;
    // A checkpoint at `position` was saved: groups resolved at or before it are not needed
    // by any restart.
    virtual Status checkpoint_saved(const model::BinlogPosition& position) = 0;

    // Groups kept and not resolved, in the order they were prepared.
    virtual std::vector<PreparedXa> unresolved() const = 0;
};

}  // namespace cdc::stream
