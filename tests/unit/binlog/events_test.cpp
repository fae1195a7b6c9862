// Hand-built bytes for each control and statement event type, and the unknown-type rules.
#include <gtest/gtest.h>

#include "binlog/decoder.h"
#include "event_builder.h"

namespace cdc::binlog {
namespace {

using test::EventBuilder;
using test::from_hex;
using test::make_fde;

// A decoder that has seen a MySQL 8 FDE without checksums.
BinlogDecoder mysql8(DecoderOptions options = {}) {
    BinlogDecoder dec(options);
    EXPECT_TRUE(dec.decode(make_fde("8.0.31", 0), 4).ok());
    return dec;
}

template <class T>
T decode_as(BinlogDecoder& dec, const std::vector<uint8_t>& bytes) {
    Result<Event> ev = dec.decode(bytes, 1000);
    EXPECT_TRUE(ev.ok()) << (ev.ok() ? "" : ev.error().message);
    if (!ev.ok() || !std::holds_alternative<T>(ev->body)) {
        ADD_FAILURE() << "unexpected body";
        return T{};
    }
    return std::get<T>(ev->body);
}

Error decode_error(BinlogDecoder& dec, const std::vector<uint8_t>& bytes) {
    Result<Event> ev = dec.decode(bytes, 1000);
    EXPECT_FALSE(ev.ok());
    return ev.ok() ? Error{Errc::Internal, "decoded"} : ev.error();
}

TEST(Events, QuerySkipsStatusVarsByLength) {
    BinlogDecoder dec = mysql8();
    EventBuilder b;
    b.le(77, 4).le(2, 4).u8(4).le(0, 2).le(5, 2).str("\x01\x02\x03\x04\x05").str("shop").u8(0)
        .str("BEGIN");
    auto q = decode_as<QueryEvent>(dec, b.event(2));
    EXPECT_EQ(q.thread_id, 77u);
    EXPECT_EQ(q.exec_time, 2u);
    EXPECT_EQ(q.schema, "shop");
    EXPECT_EQ(q.sql, "BEGIN");
}

TEST(Events, TruncatedQueryIsACleanError) {
    BinlogDecoder dec = mysql8();
    EventBuilder b;
    b.le(77, 4).le(2, 4).u8(4).le(0, 2).le(200, 2).str("shop");
    Error e = decode_error(dec, b.event(2));
    EXPECT_EQ(e.code, Errc::Malformed);
    EXPECT_NE(e.message.find("QUERY event at offset 1000"), std::string::npos) << e.message;
}

TEST(Events, RotateXidStopIncident) {
    BinlogDecoder dec = mysql8();
    auto r = decode_as<RotateEvent>(dec, EventBuilder().le(4, 8).str("binlog.000008").event(4));
    EXPECT_EQ(r.position, 4u);
    EXPECT_EQ(r.next_file, "binlog.000008");
    EXPECT_EQ(decode_as<XidEvent>(dec, EventBuilder().le(123456, 8).event(16)).xid, 123456u);
    decode_as<StopEvent>(dec, EventBuilder().event(3));
    auto inc = decode_as<IncidentEvent>(dec, EventBuilder().le(1, 2).u8(11).str("LOST_EVENTS").event(26));
    EXPECT_EQ(inc.code, 1);
    EXPECT_EQ(inc.message, "LOST_EVENTS");
    Error e = decode_error(dec, EventBuilder().le(1, 4).event(16));
    EXPECT_NE(e.message.find("XID event at offset 1000"), std::string::npos) << e.message;
}

TEST(Events, RotateBeforeAnyFdeWithCrcIsRecognised) {
    BinlogDecoder dec;  // replication stream: the fake ROTATE comes first
    auto r = decode_as<RotateEvent>(dec, EventBuilder().le(4, 8).str("mysql-bin.000003").event(4, true));
    EXPECT_EQ(r.next_file, "mysql-bin.000003");
}

TEST(Events, MySqlGtidAndAnonymous) {
    BinlogDecoder dec = mysql8();
    EventBuilder b;
    b.u8(1).bytes(from_hex("3e11fa4771ca11e19e33c80aa9429562")).le(23, 8).u8(2).le(5, 8).le(6, 8);
    auto g = decode_as<GtidEvent>(dec, b.event(33));
    EXPECT_EQ(g.to_string(), "3e11fa47-71ca-11e1-9e33-c80aa9429562:23");
    EXPECT_EQ(g.last_committed, 5);
    EXPECT_EQ(g.sequence_number, 6);
    EXPECT_FALSE(g.anonymous);
    EventBuilder a;
    a.u8(1).zeros(16).le(0, 8).u8(2).le(1, 8).le(2, 8);
    EXPECT_TRUE(decode_as<GtidEvent>(dec, a.event(34)).anonymous);
    EXPECT_EQ(g.immediate_commit_us, 0u);  // a 5.7 layout: no commit timestamps
}

TEST(Events, MySqlGtidCommitTimestamps) {
    BinlogDecoder dec = mysql8();
    // On a replica: immediate_commit_timestamp with bit 55 set, then the original's.
    EventBuilder b;
    b.u8(1).zeros(16).le(0, 8).u8(2).le(1, 8).le(2, 8);
    b.le(1703581264076736 | (uint64_t{1} << 55), 7).le(1703581000000000, 7).u8(200);
    EXPECT_EQ(decode_as<GtidEvent>(dec, b.event(34)).immediate_commit_us, 1703581264076736u);
    // On the source: one timestamp, then the transaction length.
    EventBuilder s;
    s.u8(1).zeros(16).le(0, 8).u8(2).le(1, 8).le(2, 8).le(1703581264076736, 7).u8(200);
    EXPECT_EQ(decode_as<GtidEvent>(dec, s.event(34)).immediate_commit_us, 1703581264076736u);
}

TEST(Events, TaggedGtidFromMySql96) {
    BinlogDecoder dec = mysql8();
    EventBuilder b;
    b.bytes(from_hex("027800000002aaee25020804650222c503c502e1029cc10311035502dead03040c060a6d79746167"
                     "08000a040c7f1cf3b814244a0610a10412430f0b"));
    auto g = decode_as<GtidEvent>(dec, b.event(42));
    EXPECT_EQ(g.to_string(), "55778904-0299-11f1-b1b8-4ef0c4956feb:mytag:3");
    EXPECT_EQ(g.tag, "mytag");
    EXPECT_EQ(g.sequence_number, 1);
}

TEST(Events, PreviousGtidsPlainAndTagged) {
    BinlogDecoder dec = mysql8();
    EventBuilder plain;
    plain.le(1, 8).bytes(from_hex("b9b88c66075511f198994a9da94c4d71")).le(2, 8).le(1, 8).le(3, 8)
        .le(5, 8).le(6, 8);
    EXPECT_EQ(decode_as<PreviousGtidsEvent>(dec, plain.event(35)).gtid_set,
              "b9b88c66-0755-11f1-9899-4a9da94c4d71:1-2:5");
    EventBuilder tagged;
    tagged.bytes(from_hex(
        "010200000000000155778904029911f1b1b84ef0c4956feb00010000000000000001000000000000000e00"
        "00000000000055778904029911f1b1b84ef0c4956feb0a6d7974616701000000000000000100000000000000"
        "0300000000000000"));
    EXPECT_EQ(decode_as<PreviousGtidsEvent>(dec, tagged.event(35)).gtid_set,
              "55778904-0299-11f1-b1b8-4ef0c4956feb:1-13:mytag:1-2");
}

TEST(Events, MariaDbEvents) {
    BinlogDecoder dec;
    ASSERT_TRUE(dec.decode(make_fde("10.11.6-MariaDB-log", 0), 4).ok());
    auto g = decode_as<MariaGtidEvent>(dec, EventBuilder().le(42, 8).le(3, 4).u8(0x03).le(9, 8).event(162));
    EXPECT_EQ(g.to_string(1), "3-1-42");
    EXPECT_TRUE(g.standalone());
    EXPECT_EQ(g.commit_id, 9u);
    auto list = decode_as<MariaGtidListEvent>(
        dec, EventBuilder().le(2, 4).le(0, 4).le(1, 4).le(10, 8).le(1, 4).le(2, 4).le(5, 8).event(163));
    EXPECT_EQ(list.gtid_list, "0-1-10,1-2-5");
    EXPECT_EQ(decode_as<BinlogCheckpointEvent>(dec, EventBuilder().le(9, 4).str("m-bin.001").event(161)).file,
              "m-bin.001");
    EXPECT_EQ(decode_as<AnnotateRowsEvent>(dec, EventBuilder().str("INSERT INTO t VALUES (1)").event(160)).sql,
              "INSERT INTO t VALUES (1)");
    Error e = decode_error(dec, EventBuilder().u8(1).le(1, 4).zeros(12).event(164));
    EXPECT_EQ(e.code, Errc::Unsupported);
    EXPECT_NE(e.message.find("encrypted binlog"), std::string::npos);
    EXPECT_NE(e.message.find("offset 1000"), std::string::npos);
}

TEST(Events, HeartbeatsV1AndV2) {
    BinlogDecoder dec = mysql8();
    auto h1 = decode_as<HeartbeatEvent>(dec, EventBuilder().str("binlog.000002").event(27, false, 0, 4567));
    EXPECT_EQ(h1.log_file, "binlog.000002");
    EXPECT_EQ(h1.position, 4567u);
    EventBuilder v2;
    v2.packed(1).packed(13).str("binlog.000002").packed(2).packed(4).packed(70000).packed(0);
    auto h2 = decode_as<HeartbeatEvent>(dec, v2.event(41));
    EXPECT_EQ(h2.log_file, "binlog.000002");
    EXPECT_EQ(h2.position, 70000u);
}

TEST(Events, RowsQueryAndSkippedTypes) {
    BinlogDecoder dec = mysql8();
    EXPECT_EQ(decode_as<RowsQueryEvent>(dec, EventBuilder().u8(8).str("UPDATE t").event(29)).sql,
              "UPDATE t");
    for (uint8_t type : {5, 13, 14, 17, 9, 11, 36, 37, 28}) {
        SCOPED_TRACE(int(type));
        EXPECT_FALSE(decode_as<SkippedEvent>(dec, EventBuilder().zeros(30).event(type)).unknown);
    }
    // EXECUTE_LOAD_QUERY: a statement (a LOAD DATA), for the statement guard (docs/EVENTS.md).
    EXPECT_TRUE(decode_as<QueryEvent>(dec, EventBuilder().zeros(30).event(18)).execute_load);
}

TEST(Events, UnknownTypes) {
    BinlogDecoder dec = mysql8();
    auto skipped = decode_as<SkippedEvent>(dec, EventBuilder().zeros(20).event(100, false, 0x80));
    EXPECT_TRUE(skipped.unknown);
    EXPECT_EQ(dec.stats().unknown_ignorable_skipped, 1u);
    Error e = decode_error(dec, EventBuilder().zeros(20).event(100));
    EXPECT_EQ(e.code, Errc::Unsupported);
    EXPECT_NE(e.message.find("unknown event type 100 at offset 1000"), std::string::npos) << e.message;
    DecoderOptions opts;
    opts.skip_unknown_events = true;
    BinlogDecoder lenient = mysql8(opts);
    EXPECT_TRUE(decode_as<SkippedEvent>(lenient, EventBuilder().zeros(20).event(100)).unknown);
    EXPECT_EQ(lenient.stats().unknown_skipped, 1u);
}

TEST(Events, PreGaRowsAreUnsupported) {
    BinlogDecoder dec = mysql8();
    Error e = decode_error(dec, EventBuilder().zeros(20).event(20));
    EXPECT_EQ(e.code, Errc::Unsupported);
    EXPECT_NE(e.message.find("PRE_GA_WRITE_ROWS event at offset 1000"), std::string::npos);
}

}  // namespace
}  // namespace cdc::binlog
