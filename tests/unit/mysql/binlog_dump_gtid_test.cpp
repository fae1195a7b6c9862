// COM_BINLOG_DUMP_GTID's payload, read back field by field in the order MySQL's
// com_binlog_dump_gtid reads it.
#include "mysql/binlog_dump_gtid.h"

#include <gtest/gtest.h>

#include "common/byte_reader.h"

namespace cdc::mysql {
namespace {

TEST(BinlogDumpGtid, PayloadIsWhatTheServerReads) {
    auto set = model::GtidSet::parse("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-77");
    ASSERT_TRUE(set.ok());
    auto payload = binlog_dump_gtid_payload(4242, *set, 0x01);
    ASSERT_TRUE(payload.ok());
    ByteReader r(Bytes(reinterpret_cast<const uint8_t*>(payload->data()), payload->size()));
    EXPECT_EQ(r.read_u16le(), 0x05);  // through GTID + non-block
    EXPECT_EQ(r.read_u32le(), 4242u);
    uint32_t name_size = r.read_u32le();
    EXPECT_EQ(name_size, 0u);
    EXPECT_EQ(r.read_u64le(), 4u);
    uint32_t data_size = r.read_u32le();
    ASSERT_TRUE(r.ok());
    std::string encoded = set->encode();
    EXPECT_EQ(data_size, encoded.size());
    Bytes data = r.read_bytes(data_size);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(std::string(reinterpret_cast<const char*>(data.data()), data.size()), encoded);
    EXPECT_EQ(r.remaining(), 0u);
}

TEST(BinlogDumpGtid, EmptySetAsksForEverything) {
    auto payload = binlog_dump_gtid_payload(7, model::GtidSet{});
    ASSERT_TRUE(payload.ok());
    EXPECT_EQ(payload->size(), 2u + 4 + 4 + 8 + 4 + 8);
    EXPECT_EQ(payload->substr(payload->size() - 12),
              std::string("\x08\0\0\0", 4) + std::string(8, '\0'));
}

}  // namespace
}  // namespace cdc::mysql
