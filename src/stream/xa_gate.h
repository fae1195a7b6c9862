// XaGate: emits an XA transaction's changes when it commits, not when it is prepared.
//
// A prepared XA transaction's rows are in the binlog at its XA PREPARE, and it may still be
// rolled back; it commits (or not) in a later event group of its own:
//
//   MariaDB: GTID (FL_PREPARED_XA, xid) .. rows .. QUERY "XA END X'..',X'..',n" .. XA_PREPARE
//            ... any number of other groups, binlog files, restarts ...
//            GTID (FL_COMPLETED_XA, xid) QUERY "XA COMMIT X'..',X'..',n"  (or XA ROLLBACK)
//            XA COMMIT ... ONE PHASE is written as an ordinary transaction (BEGIN .. XID).
//   MySQL:   GTID, QUERY "XA START X'..'" .. rows .. QUERY "XA END X'..'", XA_PREPARE
//            ... GTID, QUERY "XA COMMIT X'..'"  (or XA ROLLBACK)
//            XA COMMIT ... ONE PHASE: the same group with XA_PREPARE.one_phase set.
//
// The gate sits between the ChangeExtractor and the consumer that writes changes (the
// daemon's ChangeWriter, `decode`'s JSON writer). It passes every event on, drops the changes
// of an XA PREPARE group and has the store (xa_store.h) keep the group's raw events instead.
// At the XA COMMIT it decodes the kept group again (its own ChangeExtractor, from the kept
// FORMAT_DESCRIPTION and TABLE_MAPs) and hands its changes on, as changes of the XA COMMIT's
// group: the daemon's TransactionTracker gives them the commit's position and row indexes,
// so the checkpoint (position + skip_rows) and the Kafka sink's resume work as for any
// transaction, also after a crash in the middle of them. An XA ROLLBACK drops the group.
// A ONE PHASE group (MySQL) is emitted at its XA_PREPARE.
//
// The caller feeds each top-level event to the extractor with the gate as consumer, then calls
// after_event() with the event's bytes, before it considers the event done (the tracker's
// finish_event): that is where groups are kept, and committed ones emitted.
//
// An XA COMMIT whose XA PREPARE the store does not have: when reading began without a saved
// position after the prepare (Options::fresh_start), a warning naming the XID and position;
// otherwise a DataLoss error (the changes would silently be missing).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "binlog/xa_statement.h"
#include "stream/change_extractor.h"
#include "stream/xa_store.h"

namespace cdc::stream {

class XaGate final : public ChangeConsumer {
public:
    struct Options {
        binlog::DecoderOptions decoder;
        TableFilter filter;
        // What the rows of a kept group must carry when they are decoded again (the same as
        // the extractor that read them first: `decode` accepts files without column names).
        RowRequirements requirements;
        // Set when transactions may have been prepared before reading began (a start without
        // saved position: the server's current position, a snapshot's start, `decode`'s first
        // file). Describes that start for the warning, e.g. "mysql-cdc first started at
        // mysql-bin.000002:4".
        std::optional<std::string> fresh_start;
        // What to do when an XA PREPARE is missing and no fresh start explains it (the error's
        // last sentence).
        std::string missing_prepare_hint;
        std::function<void(const std::string&)> warn;
        // Called after each event of a group being emitted: lets the daemon flush and
        // checkpoint inside a large committed XA transaction (bounded memory).
        std::function<Status()> between_events;
    };

    XaGate(ChangeConsumer& inner, PreparedXaStore& store, Options options);

    Status on_event(const binlog::Event& event, bool top_level) override;
    Status on_change(const model::ChangeEvent& change, uint64_t offset,
                     uint32_t row_index) override;
    Status on_schema_change(const model::SchemaChange& change) override;

    // The event just fed to the extractor: its bytes, the binlog file it is in, its offset.
    Status after_event(Bytes bytes, std::string_view file, uint64_t offset);

private:
    // What on_event saw in the current top-level event, acted on in after_event().
    struct Seen {
        bool group_starts = false;  // an XA PREPARE group begins with this event
        bool mysql_gtid = false;    // a MySQL GTID: an XA START may follow
        std::optional<binlog::XaPrepareEvent> prepare;
        std::optional<binlog::XaStatement> resolution;  // XA COMMIT / XA ROLLBACK
        std::optional<Error> error;
    };

    Status finish_group(const binlog::XaPrepareEvent& prepare, const model::BinlogPosition& at);
    Status resolve(const binlog::XaStatement& statement, const model::BinlogPosition& end);
    // Decodes a group's events again and hands their changes to inner_.
    Status emit(const std::function<Status(const PreparedXaStore::EventSink&)>& read,
                const std::string& what);

    ChangeConsumer& inner_;
    PreparedXaStore& store_;
    Options options_;
    std::vector<uint8_t> fde_;   // the FORMAT_DESCRIPTION in force (raw)
    std::vector<uint8_t> gtid_;  // the last MySQL GTID (raw), if the event before
    uint64_t gtid_offset_ = 0;
    bool capturing_ = false;  // inside an XA PREPARE group: changes are held back
    model::BinlogPosition group_start_;
    Seen seen_;
};

}  // namespace cdc::stream
