// Sizes an event declares for data it holds compressed are checked against what the bytes can
// give before a buffer is allocated (issue 11, defect 8: a small corrupt event must not cost
// the memory its header claims).
#include <gtest/gtest.h>

#include <zlib.h>
#include <zstd.h>

#include "binlog/decoder.h"
#include "event_builder.h"
#include "support/peak_rss.h"

namespace cdc::binlog {
namespace {

using test::EventBuilder;
using test::make_fde;
using test::peak_rss_kb;

// A MariaDB QUERY_COMPRESSED event whose block declares `declared` uncompressed bytes.
std::vector<uint8_t> compressed_query(std::string_view sql, uint32_t declared) {
    uLongf size = compressBound(sql.size());
    std::vector<uint8_t> z(size);
    EXPECT_EQ(compress(z.data(), &size, reinterpret_cast<const Bytef*>(sql.data()), sql.size()),
              Z_OK);
    z.resize(size);
    EventBuilder q;
    q.le(1, 4).le(0, 4).u8(1).le(0, 2).le(0, 2).str("s").u8(0);
    q.u8(0x84).be(declared, 4).bytes(z);
    return q.event(165);
}

TEST(SizeClaims, ACompressedEventClaimingAGigabyteIsRefusedWithoutTheAllocation) {
    BinlogDecoder dec;
    ASSERT_TRUE(dec.decode(make_fde("10.11.6-MariaDB-log", 0), 4).ok());
    const std::string sql = "INSERT INTO t VALUES (1)";
    const auto good = compressed_query(sql, static_cast<uint32_t>(sql.size()));
    Result<Event> ok = dec.decode(good, 300);
    ASSERT_TRUE(ok.ok()) << ok.error().message;
    EXPECT_EQ(std::get<QueryEvent>(ok->body).sql, sql);

    peak_rss_kb();
    const long before = peak_rss_kb();  // the current size
    const auto lying = compressed_query(sql, (1u << 30) - 1);
    ASSERT_LT(lying.size(), 100u);
    Result<Event> bad = dec.decode(lying, 400);
    ASSERT_FALSE(bad.ok());
    EXPECT_NE(bad.error().message.find("at offset 400"), std::string::npos) << bad.error().message;
    EXPECT_NE(bad.error().message.find("more than"), std::string::npos) << bad.error().message;
    EXPECT_LT(peak_rss_kb() - before, 64 * 1024) << "the declared size was allocated";
}

TEST(SizeClaims, ATransactionPayloadClaimingGigabytesCostsWhatItInflatesTo) {
    BinlogDecoder dec;
    ASSERT_TRUE(dec.decode(make_fde("8.0.32", 1), 4).ok());
    const std::vector<uint8_t> inner = EventBuilder().le(9, 8).event(16);  // one XID
    std::vector<uint8_t> z(ZSTD_compressBound(inner.size()));
    z.resize(ZSTD_compress(z.data(), z.size(), inner.data(), inner.size(), 3));
    const uint64_t declared = uint64_t{4} << 30;  // the largest size accepted
    EventBuilder b;
    b.packed(2).packed(1).packed(0);
    b.packed(3).packed(9).packed(declared);
    b.packed(1).packed(1).packed(z.size()).packed(0).bytes(z);
    const auto ev_bytes = b.event(40, true);
    peak_rss_kb();
    const long before = peak_rss_kb();  // the current size
    Result<Event> ev = dec.decode(ev_bytes, 1000);
    // What it really inflates to is what it costs, not the 4 GiB it declares.
    ASSERT_TRUE(ev.ok()) << ev.error().message;
    EXPECT_EQ(std::get<TransactionPayloadEvent>(ev->body).uncompressed_size, inner.size());
    EXPECT_LT(peak_rss_kb() - before, 8 * 1024) << "the declared size was allocated";
}

}  // namespace
}  // namespace cdc::binlog
