// TransactionTracker's GTID state: the transactions wholly before the checkpoint's position,
// and the check of the first transaction after a resume by GTID.
#include <gtest/gtest.h>

#include "stream/transaction_tracker.h"

namespace cdc::stream {
namespace {

using binlog::Event;
using binlog::EventType;

Event make(EventType type, uint32_t end, uint32_t size, binlog::EventBody body,
           uint32_t server_id = 1) {
    Event e;
    e.header.type = static_cast<uint8_t>(type);
    e.header.log_pos = end;
    e.header.event_size = size;
    e.header.server_id = server_id;
    e.offset = end - size;
    e.body = std::move(body);
    return e;
}

Event gtid(uint32_t end, uint32_t domain, uint64_t seq, uint32_t server_id = 1) {
    binlog::MariaGtidEvent g;
    g.domain_id = domain;
    g.seq_no = seq;
    return make(EventType::MariaGtid, end, 30, g, server_id);
}

Event rows(uint32_t end) {
    binlog::RowsEvent r;
    r.flags = 1;
    return make(EventType::WriteRows, end, 40, r);
}

Event xid(uint32_t end) { return make(EventType::Xid, end, 31, binlog::XidEvent{9}); }

void feed(TransactionTracker& t, const Event& e) {
    t.on_event(e, true);
    t.finish_event(e.header);
}

model::Checkpoint start(std::string state) {
    model::Checkpoint cp;
    cp.position = {"bin.000001", 100};
    cp.gtid_state = std::move(state);
    return cp;
}

TEST(TransactionTrackerGtidState, AFinishedTransactionJoinsTheStateTheCurrentOneDoesNot) {
    TransactionTracker t;
    t.reset(start("0-1-5"));
    t.set_source_server(1);
    feed(t, gtid(130, 0, 6));
    feed(t, rows(170));
    EXPECT_TRUE(t.take_row());
    // Inside the transaction: the checkpoint is its start, before it in the state.
    EXPECT_EQ(t.checkpoint().gtid_state, "0-1-5");
    EXPECT_EQ(t.checkpoint().server_id, 1u);
    ASSERT_NE(t.mariadb_gtid(), nullptr);
    EXPECT_EQ(t.mariadb_gtid()->seq, 6u);
    feed(t, xid(201));
    EXPECT_EQ(t.checkpoint().position.pos, 201u);
    EXPECT_EQ(t.checkpoint().gtid_state, "0-1-6");
    // Another domain, written by another server.
    feed(t, gtid(231, 3, 1, 2));
    feed(t, xid(262));
    EXPECT_EQ(t.checkpoint().gtid_state, "0-1-6,3-2-1");
}

TEST(TransactionTrackerGtidState, AMysqlSetIsCarriedAnUnreadableStateDropped) {
    TransactionTracker t;
    t.reset(start("3E11FA47-71CA-11E1-9E33-C80AA9429562:1-5"));
    EXPECT_EQ(t.checkpoint().gtid_state, "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5");
    t.reset(start("neither-a:state"));
    EXPECT_EQ(t.checkpoint().gtid_state, "");
}

TEST(TransactionTrackerGtidState, TheFirstTransactionAfterAGtidResumeMustBeNew) {
    TransactionTracker ok;
    ok.reset(start("0-1-5"));
    ok.expect_after_state();
    feed(ok, gtid(130, 0, 6, 2));
    EXPECT_EQ(ok.unexpected_start(), "");

    TransactionTracker repeated;
    repeated.reset(start("0-1-5"));
    repeated.expect_after_state();
    feed(repeated, gtid(130, 0, 5));
    EXPECT_NE(repeated.unexpected_start().find("0-1-5"), std::string::npos)
        << repeated.unexpected_start();
}

TEST(TransactionTrackerGtidState, ByGtidTheServerChangesAtTheFirstRotate) {
    TransactionTracker t;
    t.reset(start("0-1-5"));
    t.set_source_server(1);
    t.set_source_server_at_rotate(2);
    EXPECT_EQ(t.checkpoint().server_id, 1u);
    binlog::RotateEvent r;
    r.next_file = "b.000003";
    r.position = 4;
    Event rotate = make(EventType::Rotate, 0, 40, r);
    rotate.header.flags = 0x20;
    feed(t, rotate);
    EXPECT_EQ(t.checkpoint().server_id, 2u);
    EXPECT_EQ(t.checkpoint().position.file, "b.000003");
    EXPECT_EQ(t.checkpoint().gtid_state, "0-1-5");
}

}  // namespace
}  // namespace cdc::stream
