#include "mysql/replication_packets.h"

#include <gtest/gtest.h>

#include <vector>

namespace cdc::mysql {
namespace {

std::vector<uint8_t> event(uint8_t type, uint32_t log_pos, std::vector<uint8_t> body,
                           uint16_t flags = 0) {
    const uint32_t size = static_cast<uint32_t>(kEventHeaderLength + body.size());
    std::vector<uint8_t> e = {0, 0, 0, 0, type, 1, 0, 0, 0};
    for (int i = 0; i < 4; ++i) e.push_back(static_cast<uint8_t>(size >> (8 * i)));
    for (int i = 0; i < 4; ++i) e.push_back(static_cast<uint8_t>(log_pos >> (8 * i)));
    e.push_back(static_cast<uint8_t>(flags));
    e.push_back(static_cast<uint8_t>(flags >> 8));
    e.insert(e.end(), body.begin(), body.end());
    return e;
}

std::vector<uint8_t> rotate_body(uint64_t pos, const std::string& name, bool crc) {
    std::vector<uint8_t> b;
    for (int i = 0; i < 8; ++i) b.push_back(static_cast<uint8_t>(pos >> (8 * i)));
    b.insert(b.end(), name.begin(), name.end());
    if (crc) b.insert(b.end(), {0xaa, 0xbb, 0xcc, 0xdd});
    return b;
}

TEST(ReplicationPackets, BinlogDumpLayout) {
    auto p = binlog_dump_payload("mysql-bin.000002", 0x01020304, kDumpSendAnnotateRows, 1001);
    ASSERT_TRUE(p);
    const std::string expected = std::string("\x04\x03\x02\x01\x02\x00\xe9\x03\x00\x00", 10) +
                                 "mysql-bin.000002";
    EXPECT_EQ(*p, expected);
    EXPECT_FALSE(binlog_dump_payload("f", 1ULL << 32, 0, 1));
}

TEST(ReplicationPackets, RegisterReplicaCarriesNoCredentials) {
    const std::string p = register_replica_payload(7, "host1", 0);
    const std::string expected = std::string("\x07\x00\x00\x00\x05", 5) + "host1" +
                                 std::string("\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00", 12);
    EXPECT_EQ(p, expected);
}

TEST(ReplicationPackets, FollowsRotateAndEventPositions) {
    StreamPosition pos("mysql-bin.000001", 4, true);
    auto fake_rotate = event(kRotateEvent, 0, rotate_body(4, "mysql-bin.000003", true), 0x20);
    auto r = pos.advance(fake_rotate);
    ASSERT_TRUE(r);
    EXPECT_TRUE(r->artificial);
    EXPECT_EQ(pos.file(), "mysql-bin.000003");
    EXPECT_EQ(pos.next(), 4u);

    std::vector<uint8_t> fde_body(100, 0);
    fde_body[fde_body.size() - 5] = 0;  // checksum algorithm: OFF for this file
    auto fde = event(kFormatDescriptionEvent, 4 + kEventHeaderLength + 100, fde_body);
    r = pos.advance(fde);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->offset, 4u);
    EXPECT_FALSE(pos.checksum());
    EXPECT_EQ(pos.next(), 4u + kEventHeaderLength + 100);

    // An event after a hole (an ANNOTATE_ROWS the server left out): log_pos places it.
    auto query = event(2, 500, std::vector<uint8_t>(31, 0));
    r = pos.advance(query);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->offset, 450u);
    EXPECT_EQ(pos.next(), 500u);

    auto heartbeat = event(kHeartbeatEvent, 999, {'x'});
    r = pos.advance(heartbeat);
    ASSERT_TRUE(r);
    EXPECT_TRUE(r->artificial);
    EXPECT_EQ(pos.next(), 500u);

    auto real_rotate = event(kRotateEvent, 600, rotate_body(4, "mysql-bin.000004", false));
    ASSERT_TRUE(pos.advance(real_rotate));
    EXPECT_EQ(pos.file(), "mysql-bin.000004");
    EXPECT_EQ(pos.next(), 4u);
}

TEST(ReplicationPackets, RejectsSizeMismatchAndShortHeaders) {
    StreamPosition pos("f", 4, false);
    auto e = event(2, 100, std::vector<uint8_t>(10, 0));
    e.push_back(0);
    EXPECT_FALSE(pos.advance(e));
    std::vector<uint8_t> short_header(10, 0);
    EXPECT_FALSE(pos.advance(short_header));
}

}  // namespace
}  // namespace cdc::mysql
