// XA_PREPARE, the XID of a MariaDB GTID (FL_PREPARED_XA / FL_COMPLETED_XA), and the XA
// statements of QUERY events. Bytes from a real MariaDB 10.11 binlog (XA START 'x1';
// ...; XA PREPARE 'x1'; XA COMMIT 'x1') where noted.
#include <gtest/gtest.h>

#include "binlog/decoder.h"
#include "binlog/xa_statement.h"
#include "event_builder.h"

namespace cdc::binlog {
namespace {

using test::EventBuilder;
using test::from_hex;
using test::make_fde;

BinlogDecoder mariadb_crc32() {
    BinlogDecoder dec;
    EXPECT_TRUE(dec.decode(make_fde("10.11.19-MariaDB-log", 1), 4).ok());
    return dec;
}

TEST(XaEvents, MariaDbXaPrepareEvent) {
    BinlogDecoder dec = mariadb_crc32();
    auto bytes = from_hex(
        "0c 1c 11 6b 26 01 00 00 00 26 00 00 00 e6 05 00 00 00 00 00 01 00 00 00 02 00 00 00 00 "
        "00 00 00 78 31 09 7d 78 b1 ");
    auto ev = dec.decode(bytes, 1472);
    ASSERT_TRUE(ev.ok()) << ev.error().message;
    const auto& xa = std::get<XaPrepareEvent>(ev->body);
    EXPECT_FALSE(xa.one_phase);
    EXPECT_EQ(xa.xid, (Xid{1, "x1", ""}));
    EXPECT_EQ(xa.xid.to_string(), "X'7831',X'',1");
}

TEST(XaEvents, MariaDbGtidsCarryTheXid) {
    BinlogDecoder dec = mariadb_crc32();
    // GTID 0-1-6 of XA START 'x1': flags 0x4c (FL_PREPARED_XA | ALLOW_PARALLEL | TRANSACTIONAL).
    auto prepared = from_hex(
        "0c 1c 11 6b a2 01 00 00 00 2e 00 00 00 ca 04 00 00 08 00 06 00 00 00 00 00 00 00 00 00 "
        "00 00 4c 01 00 00 00 02 00 78 31 01 ff cf 0e fc 47 ");
    auto ev = dec.decode(prepared, 1180);
    ASSERT_TRUE(ev.ok()) << ev.error().message;
    const auto& g = std::get<MariaGtidEvent>(ev->body);
    EXPECT_TRUE(g.xa_prepared());
    EXPECT_FALSE(g.xa_completed());
    EXPECT_FALSE(g.standalone());
    EXPECT_EQ(g.xid, (Xid{1, "x1", ""}));
    // GTID 0-1-9 of XA COMMIT 'x1': flags 0x8d (FL_COMPLETED_XA | ... | FL_STANDALONE).
    auto completed = from_hex(
        "0c 1c 11 6b a2 01 00 00 00 2c 00 00 00 46 08 00 00 08 00 09 00 00 00 00 00 00 00 00 00 "
        "00 00 8d 01 00 00 00 02 00 78 31 cd 38 fe 1c ");
    ev = dec.decode(completed, 2074);
    ASSERT_TRUE(ev.ok()) << ev.error().message;
    const auto& c = std::get<MariaGtidEvent>(ev->body);
    EXPECT_TRUE(c.xa_completed());
    EXPECT_TRUE(c.standalone());
    EXPECT_EQ(c.xid, (Xid{1, "x1", ""}));
}

TEST(XaEvents, GroupCommitIdComesBeforeTheXid) {
    BinlogDecoder dec;
    ASSERT_TRUE(dec.decode(make_fde("10.11.6-MariaDB-log", 0), 4).ok());
    auto ev = dec.decode(
        EventBuilder().le(5, 8).le(0, 4).u8(0x42).le(77, 8).le(9, 4).u8(1).u8(2).str("gbq").event(
            162),
        100);
    ASSERT_TRUE(ev.ok()) << ev.error().message;
    const auto& g = std::get<MariaGtidEvent>(ev->body);
    EXPECT_EQ(g.commit_id, 77u);
    EXPECT_EQ(g.xid, (Xid{9, "g", "bq"}));
}

TEST(XaEvents, OnePhaseAndBadLengths) {
    BinlogDecoder dec;
    ASSERT_TRUE(dec.decode(make_fde("8.0.31", 0), 4).ok());
    auto one = dec.decode(EventBuilder().u8(1).le(7, 4).le(2, 4).le(1, 4).str("abc").event(38), 50);
    ASSERT_TRUE(one.ok()) << one.error().message;
    EXPECT_TRUE(std::get<XaPrepareEvent>(one->body).one_phase);
    EXPECT_EQ(std::get<XaPrepareEvent>(one->body).xid, (Xid{7, "ab", "c"}));
    auto too_long =
        dec.decode(EventBuilder().u8(0).le(1, 4).le(65, 4).le(0, 4).zeros(65).event(38), 60);
    ASSERT_FALSE(too_long.ok());
    EXPECT_EQ(too_long.error().code, Errc::Malformed);
    EXPECT_NE(too_long.error().message.find("XA_PREPARE event at offset 60"), std::string::npos)
        << too_long.error().message;
    auto huge = dec.decode(EventBuilder().u8(0).le(1, 4).le(0xffffffff, 4).le(0, 4).event(38), 70);
    ASSERT_FALSE(huge.ok());
    auto cut = dec.decode(EventBuilder().u8(0).le(1, 4).le(4, 4).le(0, 4).str("ab").event(38), 80);
    ASSERT_FALSE(cut.ok());
    EXPECT_EQ(cut.error().code, Errc::Truncated);
}

TEST(XaStatements, AsTheServersWriteThem) {
    auto commit = parse_xa_statement("XA COMMIT X'7831',X'',1");
    ASSERT_TRUE(commit && *commit);
    EXPECT_EQ((*commit)->kind, XaStatementKind::Commit);
    EXPECT_EQ((*commit)->xid, (Xid{1, "x1", ""}));
    auto start = parse_xa_statement("XA START X'673132333435',X'623030303031',4294967295");
    ASSERT_TRUE(start && *start);
    EXPECT_EQ((*start)->kind, XaStatementKind::Start);
    EXPECT_EQ((*start)->xid, (Xid{4294967295u, "g12345", "b00001"}));
    auto rollback = parse_xa_statement("xa rollback x'ff00',X'',0");
    ASSERT_TRUE(rollback && *rollback);
    EXPECT_EQ((*rollback)->kind, XaStatementKind::Rollback);
    EXPECT_EQ((*rollback)->xid.gtrid, std::string("\xff\x00", 2));
    auto end = parse_xa_statement("XA END X'61',X'',1");
    ASSERT_TRUE(end && *end);
    EXPECT_EQ((*end)->kind, XaStatementKind::End);
}

TEST(XaStatements, OtherStatementsAndUnreadableXids) {
    EXPECT_FALSE(parse_xa_statement("BEGIN").has_value());
    EXPECT_FALSE(parse_xa_statement("XAVIER").has_value());
    EXPECT_FALSE(parse_xa_statement("XA RECOVER").has_value());
    EXPECT_FALSE(parse_xa_statement("INSERT INTO xa VALUES (1)").has_value());
    for (const char* bad : {"XA COMMIT 'x1'", "XA COMMIT X'783',X'',1", "XA COMMIT X'7831',X''",
                            "XA COMMIT X'zz',X'',1", "XA COMMIT X'7831',X'',99999999999"}) {
        SCOPED_TRACE(bad);
        auto xa = parse_xa_statement(bad);
        ASSERT_TRUE(xa.has_value());
        ASSERT_FALSE(xa->ok());
        EXPECT_EQ(xa->error().code, Errc::Malformed);
    }
}

}  // namespace
}  // namespace cdc::binlog
