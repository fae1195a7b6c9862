#include "sink/kafka/kafka_position.h"

#include "sink/kafka/kafka_position_header.h"

#include <gtest/gtest.h>

#include <memory>

namespace cdc::sink {
namespace {

struct HeadersDeleter {
    void operator()(rd_kafka_headers_t* h) const { rd_kafka_headers_destroy(h); }
};
using HeadersPtr = std::unique_ptr<rd_kafka_headers_t, HeadersDeleter>;

HeadersPtr headers(std::initializer_list<std::pair<const char*, const char*>> items) {
    HeadersPtr h(rd_kafka_headers_new(4));
    for (auto [name, value] : items) rd_kafka_header_add(h.get(), name, -1, value, -1);
    return h;
}

TEST(KafkaPosition, FilesCompareByNumericSuffix) {
    EXPECT_TRUE(compare_binlog_files("mysql-bin.000001", "mysql-bin.000002") < 0);
    EXPECT_TRUE(compare_binlog_files("mysql-bin.000010", "mysql-bin.000009") > 0);
    EXPECT_TRUE(compare_binlog_files("mysql-bin.000007", "mysql-bin.000007") == 0);
    // Rollover past six digits: text order would get these backwards.
    EXPECT_TRUE(compare_binlog_files("mysql-bin.999999", "mysql-bin.1000000") < 0);
    EXPECT_TRUE(compare_binlog_files("mysql-bin.1000000", "mysql-bin.999999") > 0);
    // Leading zeros do not matter; the number does.
    EXPECT_TRUE(compare_binlog_files("mysql-bin.9", "mysql-bin.000010") < 0);
}

TEST(KafkaPosition, NonNumericNamesFallBackToText) {
    EXPECT_TRUE(compare_binlog_files("a.log", "b.log") < 0);
    EXPECT_TRUE(compare_binlog_files("binlog", "binlog.000001") < 0);
}

TEST(KafkaPosition, OrderIsFileThenPosThenRow) {
    ChangePosition a{"mysql-bin.000001", 500, 7};
    ChangePosition b{"mysql-bin.000001", 500, 8};
    ChangePosition c{"mysql-bin.000001", 900, 0};
    ChangePosition d{"mysql-bin.000002", 4, 0};
    ChangePosition e{"mysql-bin.1000000", 4, 0};
    ChangePosition f{"mysql-bin.999999", 1u << 30, 99};
    EXPECT_LT(a, b);
    EXPECT_LT(b, c);
    EXPECT_LT(c, d);
    EXPECT_LT(f, e);
    EXPECT_TRUE((a <=> ChangePosition{"mysql-bin.000001", 500, 7}) == 0);
    EXPECT_TRUE(compare_position("mysql-bin.000001", 500, 8, a) > 0);
    EXPECT_TRUE(compare_position("mysql-bin.000001", 500, 7, a) == 0);
}

TEST(KafkaPosition, HeadersRoundTrip) {
    DecimalText pos(18446744073709551615ULL);
    EXPECT_EQ(pos.view(), "18446744073709551615");
    EXPECT_EQ(DecimalText(0).view(), "0");
    auto h = headers({{kHeaderFile, "mysql-bin.000042"},
                      {kHeaderPos, "123456"},
                      {kHeaderRow, "17"},
                      {kHeaderGtid, "0-1-99"}});
    auto p = position_from_headers(h.get());
    ASSERT_TRUE(p.ok()) << p.error().message;
    ASSERT_TRUE(p->has_value());
    ChangePosition want{"mysql-bin.000042", 123456, 17};
    want.has_gtid_seq = true;
    want.gtid_domain = 0;
    want.gtid_seq = 99;
    EXPECT_EQ(**p, want);
}

TEST(KafkaPosition, MessagesWithoutOurHeadersHaveNoPosition) {
    auto h = headers({{"other", "x"}});
    auto p = position_from_headers(h.get());
    ASSERT_TRUE(p.ok());
    EXPECT_FALSE(p->has_value());
    auto none = position_from_headers(nullptr);
    ASSERT_TRUE(none.ok());
    EXPECT_FALSE(none->has_value());
}

TEST(KafkaPosition, UnreadableHeadersAreMalformed) {
    auto bad_number = headers({{kHeaderFile, "f.1"}, {kHeaderPos, "12x"}, {kHeaderRow, "0"}});
    auto p = position_from_headers(bad_number.get());
    ASSERT_FALSE(p.ok());
    EXPECT_EQ(p.error().code, Errc::Malformed);
    EXPECT_NE(p.error().message.find("12x"), std::string::npos);
    auto missing_row = headers({{kHeaderFile, "f.1"}, {kHeaderPos, "12"}});
    EXPECT_FALSE(position_from_headers(missing_row.get()).ok());
    auto empty_file = headers({{kHeaderFile, ""}, {kHeaderPos, "1"}, {kHeaderRow, "0"}});
    EXPECT_FALSE(position_from_headers(empty_file.get()).ok());
}

TEST(KafkaPosition, ServerIdAndMariaGtidAreReadBack) {
    auto h = headers({{kHeaderFile, "b.000002"},
                      {kHeaderPos, "400"},
                      {kHeaderRow, "3"},
                      {kHeaderGtid, "0-2-57"},
                      {kHeaderServerId, "2"}});
    auto p = position_from_headers(h.get());
    ASSERT_TRUE(p.ok()) << p.error().message;
    ASSERT_TRUE(p->has_value());
    EXPECT_EQ((*p)->server_id, 2u);
    EXPECT_TRUE((*p)->has_gtid_seq);
    EXPECT_EQ((*p)->gtid_domain, 0u);
    EXPECT_EQ((*p)->gtid_seq, 57u);
    auto bad = headers(
        {{kHeaderFile, "b.1"}, {kHeaderPos, "4"}, {kHeaderRow, "0"}, {kHeaderServerId, "x"}});
    EXPECT_FALSE(position_from_headers(bad.get()).ok());
}

TEST(KafkaPosition, ThePackedHeaderIsReadFirst) {
    auto h = headers({{kHeaderPosition, "pos:400 row:3 server:2 gtid:0-2-57 file:b.000002"}});
    auto p = position_from_headers(h.get());
    ASSERT_TRUE(p.ok()) << p.error().message;
    ASSERT_TRUE(p->has_value());
    ChangePosition want{"b.000002", 400, 3};
    want.server_id = 2;
    want.has_gtid_seq = true;
    want.gtid_seq = 57;
    EXPECT_EQ(**p, want);
    // A message with both forms (not written by any version): the packed header decides.
    auto both = headers({{kHeaderFile, "b.000009"},
                         {kHeaderPos, "4"},
                         {kHeaderRow, "0"},
                         {kHeaderPosition, "pos:400 file:b.000002"}});
    auto q = position_from_headers(both.get());
    ASSERT_TRUE(q.ok());
    EXPECT_EQ((*q)->file, "b.000002");
    auto bad = headers({{kHeaderPosition, "pos:x file:b.000002"}});
    auto r = position_from_headers(bad.get());
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, Errc::Malformed);
}

TEST(KafkaPosition, TheOldFormIsReadWithAllItsFields) {
    // What versions before mysql-cdc.position wrote on a re-snapshot row's second part.
    auto h = headers({{kHeaderFile, "b.000002"},
                      {kHeaderPos, "400"},
                      {kHeaderRow, "3"},
                      {kHeaderPart, "1"},
                      {kHeaderSnapshot, "true"},
                      {kHeaderServerId, "2"},
                      {kHeaderGtid, "3E11FA47-71CA-11E1-9E33-C80AA9429562:23"},
                      {"mysql-cdc.commit-ms", "1703581264076"}});
    auto p = position_from_headers(h.get());
    ASSERT_TRUE(p.ok()) << p.error().message;
    ChangePosition want{"b.000002", 400, 3};
    want.part = 1;
    want.snapshot = true;
    want.server_id = 2;
    want.mysql_gtid = "3E11FA47-71CA-11E1-9E33-C80AA9429562:23";
    EXPECT_EQ(**p, want);
}

ChangePosition newest_of(uint32_t server, const char* file, uint64_t pos, uint64_t row,
                         uint64_t seq, uint32_t domain = 0) {
    ChangePosition p{file, pos, row};
    p.server_id = server;
    p.has_gtid_seq = true;
    p.gtid_domain = domain;
    p.gtid_seq = seq;
    return p;
}

TEST(KafkaPosition, ReplaysOfTheSameServerCompareByFilePosRow) {
    auto newest = newest_of(1, "a.000003", 500, 2, 40);
    EXPECT_EQ(replayed_not_newer({"a.000003", 500, 2, 1, true, 0, 40}, newest), true);
    EXPECT_EQ(replayed_not_newer({"a.000003", 500, 3, 1, true, 0, 40}, newest), false);
    EXPECT_EQ(replayed_not_newer({"a.000002", 900, 0, 1, true, 0, 39}, newest), true);
}

TEST(KafkaPosition, ReplaysFromAnotherServerCompareByGtidOfTheDomain) {
    // Server 2's file names sort after server 1's, its positions are smaller: neither matters.
    auto newest = newest_of(1, "a.000003", 500, 2, 40);
    EXPECT_EQ(replayed_not_newer({"b.000001", 100, 0, 2, true, 0, 39}, newest), true);
    EXPECT_EQ(replayed_not_newer({"b.000001", 200, 2, 2, true, 0, 40}, newest), true);
    EXPECT_EQ(replayed_not_newer({"b.000001", 200, 3, 2, true, 0, 40}, newest), false);
    EXPECT_EQ(replayed_not_newer({"a.000001", 4, 0, 2, true, 0, 41}, newest), false);
    // Another domain or no GTID: no order across servers, said rather than guessed.
    EXPECT_EQ(replayed_not_newer({"b.000001", 100, 0, 2, true, 1, 1}, newest), std::nullopt);
    EXPECT_EQ(replayed_not_newer({"b.000001", 100, 0, 2, false, 0, 0}, newest), std::nullopt);
    // A message of an older mysql-cdc (no server id) is compared as before when no GTID helps.
    ChangePosition legacy{"a.000003", 500, 2};
    EXPECT_EQ(replayed_not_newer({"a.000003", 400, 0, 2, false, 0, 0}, legacy), true);
    EXPECT_EQ(replayed_not_newer({"b.000001", 100, 0, 0, true, 0, 41}, newest), false);
}

}  // namespace
}  // namespace cdc::sink
