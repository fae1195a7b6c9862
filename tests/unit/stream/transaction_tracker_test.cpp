#include "stream/transaction_tracker.h"

#include <gtest/gtest.h>

namespace cdc::stream {
namespace {

using binlog::Event;
using binlog::EventType;

// Events are laid out back to back; each helper makes one that ends at `end`.
Event make(EventType type, uint32_t end, uint32_t size, binlog::EventBody body,
           uint16_t flags = 0) {
    Event e;
    e.header.type = static_cast<uint8_t>(type);
    e.header.log_pos = end;
    e.header.event_size = size;
    e.header.flags = flags;
    e.header.server_id = 1;
    e.offset = end - size;
    e.body = std::move(body);
    return e;
}

Event query(uint32_t end, std::string sql) {
    binlog::QueryEvent q;
    q.sql = std::move(sql);
    return make(EventType::Query, end, 50, q);
}

Event rows(uint32_t end) {
    binlog::RowsEvent r;
    r.flags = 1;
    return make(EventType::WriteRows, end, 40, r);
}

Event maria_gtid(uint32_t end, bool standalone) {
    binlog::MariaGtidEvent g;
    g.seq_no = 7;
    g.flags = standalone ? 1 : 0;
    return make(EventType::MariaGtid, end, 30, g);
}

Event xid(uint32_t end) { return make(EventType::Xid, end, 31, binlog::XidEvent{9}); }

void feed(TransactionTracker& t, const Event& e) {
    t.on_event(e, true);
    t.finish_event(e.header);
}

model::Checkpoint start_at(std::string file, uint64_t pos, uint64_t skip = 0) {
    model::Checkpoint cp;
    cp.position = {std::move(file), pos};
    cp.skip_rows = skip;
    return cp;
}

TEST(TransactionTracker, InsideATransactionTheCheckpointIsItsStartPlusRowsDone) {
    TransactionTracker t;
    t.reset(start_at("bin.000001", 100));
    feed(t, maria_gtid(130, false));  // starts at 100
    t.on_event(rows(170), true);
    EXPECT_TRUE(t.take_row());
    EXPECT_TRUE(t.take_row());
    t.finish_event(rows(170).header);
    auto cp = t.checkpoint();
    EXPECT_EQ(cp.position, (model::BinlogPosition{"bin.000001", 100}));
    EXPECT_EQ(cp.skip_rows, 2u);
    feed(t, xid(201));
    cp = t.checkpoint();
    EXPECT_EQ(cp.position, (model::BinlogPosition{"bin.000001", 201}));
    EXPECT_EQ(cp.skip_rows, 0u);
}

TEST(TransactionTracker, ResumingSkipsTheRowsAlreadyDeliveredOnlyInTheFirstTransaction) {
    TransactionTracker t;
    t.reset(start_at("bin.000001", 100, 2));
    feed(t, maria_gtid(130, false));
    t.on_event(rows(170), true);
    EXPECT_FALSE(t.take_row());
    EXPECT_FALSE(t.take_row());
    EXPECT_EQ(t.next_row_index(), 2u);
    EXPECT_TRUE(t.take_row());
    t.finish_event(rows(170).header);
    feed(t, xid(201));
    feed(t, maria_gtid(231, false));
    t.on_event(rows(271), true);
    EXPECT_TRUE(t.take_row()) << "skip_rows must not apply to the next transaction";
}

TEST(TransactionTracker, ACheckpointBeforeTheResumedTransactionKeepsItsSkipRows) {
    TransactionTracker t;
    t.reset(start_at("bin.000001", 1000, 500));
    binlog::RotateEvent r;
    r.next_file = "bin.000001";
    r.position = 1000;
    feed(t, make(EventType::Rotate, 0, 44, r, 0x20));
    auto cp = t.checkpoint();
    EXPECT_EQ(cp.position.pos, 1000u);
    EXPECT_EQ(cp.skip_rows, 500u);
    feed(t, maria_gtid(1030, false));
    t.on_event(rows(1070), true);
    EXPECT_FALSE(t.take_row());  // 1 of 500 skipped
    cp = t.checkpoint();
    EXPECT_EQ(cp.position.pos, 1000u);
    EXPECT_EQ(cp.skip_rows, 500u) << "a checkpoint while skipping must not go backwards";
}

TEST(TransactionTracker, MySqlGtidThenBeginIsOneTransaction) {
    TransactionTracker t;
    t.reset(start_at("bin.000002", 4));
    binlog::GtidEvent g;
    feed(t, make(EventType::Gtid, 200, 65, g));  // starts at 135
    feed(t, query(260, "BEGIN"));
    feed(t, rows(300));
    EXPECT_EQ(t.checkpoint().position.pos, 135u);
    feed(t, xid(331));
    EXPECT_EQ(t.checkpoint().position.pos, 331u);
    EXPECT_FALSE(t.in_transaction());
}

TEST(TransactionTracker, DdlIsATransactionOfItsOwn) {
    TransactionTracker t;
    t.reset(start_at("bin.000001", 4));
    feed(t, maria_gtid(130, true));
    EXPECT_TRUE(t.in_transaction());
    feed(t, query(300, "ALTER TABLE t ADD COLUMN c INT"));
    EXPECT_FALSE(t.in_transaction());
    EXPECT_EQ(t.checkpoint().position.pos, 300u);
}

TEST(TransactionTracker, QueriesInsideAMariaDbTransactionDoNotEndIt) {
    TransactionTracker t;
    t.reset(start_at("bin.000001", 4));
    feed(t, maria_gtid(130, false));
    feed(t, query(200, "SAVEPOINT a"));
    EXPECT_TRUE(t.in_transaction());
    feed(t, query(260, "COMMIT"));
    EXPECT_FALSE(t.in_transaction());
    EXPECT_EQ(t.checkpoint().position.pos, 260u);
}

TEST(TransactionTracker, WithoutGtidsBeginStartsTheTransaction) {
    TransactionTracker t;
    t.reset(start_at("bin.000001", 4));
    feed(t, query(300, "BEGIN"));  // starts at 250
    feed(t, rows(340));
    EXPECT_EQ(t.checkpoint().position.pos, 250u);
    feed(t, xid(371));
    EXPECT_EQ(t.checkpoint().position.pos, 371u);
}

TEST(TransactionTracker, RotateMovesToTheNextFile) {
    TransactionTracker t;
    t.reset(start_at("bin.000001", 4));
    binlog::RotateEvent r;
    r.next_file = "bin.000002";
    r.position = 4;
    feed(t, make(EventType::Rotate, 500, 44, r));
    EXPECT_EQ(t.checkpoint().position, (model::BinlogPosition{"bin.000002", 4}));
}

TEST(TransactionTracker, ArtificialEventsDoNotMoveThePosition) {
    TransactionTracker t;
    t.reset(start_at("bin.000001", 1000));
    binlog::RotateEvent r;
    r.next_file = "bin.000001";
    r.position = 1000;
    feed(t, make(EventType::Rotate, 0, 44, r, 0x20));
    binlog::FormatDescriptionEvent fde;
    feed(t, make(EventType::FormatDescription, 0, 120, fde));
    feed(t, make(EventType::Heartbeat, 1000, 40, binlog::HeartbeatEvent{}, 0x20));
    EXPECT_EQ(t.checkpoint().position, (model::BinlogPosition{"bin.000001", 1000}));
}

// XA: the group of an XA PREPARE ends at its XA_PREPARE event (MariaDB: opened by a GTID with
// FL_PREPARED_XA; MySQL: by XA START after the GTID); its XA COMMIT is a group of its own.
TEST(TransactionTracker, XaPrepareEndsTheGroupOfAnXaPrepare) {
    TransactionTracker t;
    t.reset(start_at("bin.000001", 100));
    binlog::MariaGtidEvent g;
    g.flags = 0x4c;  // FL_PREPARED_XA
    feed(t, make(EventType::MariaGtid, 146, 46, g));
    feed(t, rows(190));
    feed(t, query(270, "XA END X'7831',X'',1"));
    EXPECT_EQ(t.checkpoint().position.pos, 100u);
    feed(t, make(EventType::XaPrepare, 308, 38, binlog::XaPrepareEvent{}));
    EXPECT_FALSE(t.in_transaction());
    EXPECT_EQ(t.checkpoint().position.pos, 308u);
    binlog::MariaGtidEvent c;
    c.flags = 0x8d;  // FL_COMPLETED_XA | FL_STANDALONE
    feed(t, make(EventType::MariaGtid, 352, 44, c));
    t.on_event(query(440, "XA COMMIT X'7831',X'',1"), true);
    EXPECT_EQ(t.checkpoint().position.pos, 308u);  // inside the XA COMMIT's group
    t.finish_event(query(440, "XA COMMIT X'7831',X'',1").header);
    EXPECT_EQ(t.checkpoint().position.pos, 440u);
}

TEST(TransactionTracker, MysqlXaStartOpensAGroupLikeBegin) {
    TransactionTracker t;
    t.reset(start_at("binlog.000001", 100));
    feed(t, make(EventType::Gtid, 179, 79, binlog::GtidEvent{}));
    feed(t, query(280, "XA START X'7831',X'',1"));
    EXPECT_TRUE(t.in_transaction());
    feed(t, rows(320));  // a statement's end inside the group: not the group's end
    feed(t, query(400, "XA END X'7831',X'',1"));
    EXPECT_TRUE(t.in_transaction());
    EXPECT_EQ(t.checkpoint().position.pos, 100u);
    feed(t, make(EventType::XaPrepare, 438, 38, binlog::XaPrepareEvent{}));
    EXPECT_FALSE(t.in_transaction());
    EXPECT_EQ(t.checkpoint().position.pos, 438u);
}

Event at_second(Event e, uint32_t second) {
    e.header.timestamp = second;
    return e;
}

TEST(TransactionTracker, CommitTimeOfMariaDbIsItsGtidEventsSecond) {
    TransactionTracker t;
    t.reset(start_at("bin.000001", 100));
    EXPECT_EQ(t.commit_time_ms(), 0);
    feed(t, at_second(maria_gtid(130, false), 1600000000));
    t.on_event(at_second(rows(170), 1599999990), true);  // the statement ran earlier
    EXPECT_EQ(t.commit_time_ms(), 1600000000000);
    t.finish_event(rows(170).header);
    feed(t, at_second(xid(201), 1600000000));
    feed(t, at_second(maria_gtid(230, false), 1600000005));
    EXPECT_EQ(t.commit_time_ms(), 1600000005000);
}

TEST(TransactionTracker, CommitTimeOfMySqlIsTheGtidsImmediateCommitTimestamp) {
    TransactionTracker t;
    t.reset(start_at("bin.000001", 100));
    binlog::GtidEvent g;
    g.anonymous = true;
    g.immediate_commit_us = 1703581264076736;
    feed(t, at_second(make(EventType::AnonymousGtid, 170, 70, g), 1703581264));
    feed(t, query(220, "BEGIN"));
    EXPECT_EQ(t.commit_time_ms(), 1703581264076);
    g.immediate_commit_us = 0;  // MySQL 5.7: the header's second
    feed(t, xid(251));
    feed(t, at_second(make(EventType::AnonymousGtid, 321, 70, g), 1703581270));
    EXPECT_EQ(t.commit_time_ms(), 1703581270000);
}

TEST(TransactionTracker, CommitTimeWithoutGtidsIsTheBeginsSecond) {
    TransactionTracker t;
    t.reset(start_at("bin.000001", 100));
    feed(t, at_second(query(150, "BEGIN"), 1500000000));
    t.on_event(at_second(rows(190), 1500000001), true);
    EXPECT_EQ(t.commit_time_ms(), 1500000000000);
    t.finish_event(rows(190).header);
    feed(t, xid(221));
    feed(t, at_second(query(271, "CREATE TABLE t (a INT)"), 1500000002));  // DDL: its own
    EXPECT_EQ(t.commit_time_ms(), 1500000002000);
}

}  // namespace
}  // namespace cdc::stream
