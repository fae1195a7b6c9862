// Event header, CRC32 trailers and FORMAT_DESCRIPTION: checksum detection by server version,
// the in-use flag rule, refused pre-v4 binlogs.
#include <gtest/gtest.h>

#include "binlog/checksum.h"
#include "binlog/decoder.h"
#include "event_builder.h"

namespace cdc::binlog {
namespace {

using test::EventBuilder;
using test::make_fde;

TEST(EventHeader, ParsesTheNineteenBytes) {
    auto ev = EventBuilder().le(42, 8).event(16, false, 0x0008, 1234);
    Result<EventHeader> h = parse_event_header(ev, 100);
    ASSERT_TRUE(h.ok());
    EXPECT_EQ(h->timestamp, 1700000000u);
    EXPECT_EQ(h->type, 16);
    EXPECT_EQ(h->server_id, 1u);
    EXPECT_EQ(h->event_size, 27u);
    EXPECT_EQ(h->log_pos, 1234u);
    EXPECT_EQ(h->flags, 0x0008);
}

TEST(EventHeader, TruncatedAndUndersizedAreCleanErrors) {
    auto ev = EventBuilder().event(16);
    Result<EventHeader> h = parse_event_header(Bytes(ev).first(10), 77);
    ASSERT_FALSE(h.ok());
    EXPECT_EQ(h.error().code, Errc::Truncated);
    EXPECT_NE(h.error().message.find("offset 77"), std::string::npos) << h.error().message;
    ev[9] = 5;  // event size 5
    h = parse_event_header(ev, 77);
    ASSERT_FALSE(h.ok());
    EXPECT_EQ(h.error().code, Errc::Malformed);
}

TEST(FormatDescription, MySql8WithCrc32) {
    BinlogDecoder dec;
    Result<Event> ev = dec.decode(make_fde("8.0.31", 1), 4);
    ASSERT_TRUE(ev.ok()) << ev.error().message;
    const auto& fde = std::get<FormatDescriptionEvent>(ev->body);
    EXPECT_EQ(fde.server_version, "8.0.31");
    EXPECT_EQ(fde.checksum, ChecksumAlg::Crc32);
    EXPECT_FALSE(fde.is_mariadb);
    ASSERT_EQ(fde.post_header_lengths.size(), 42u);
    EXPECT_EQ(fde.post_header_lengths[1], 13);  // QUERY
    EXPECT_EQ(dec.format().checksum, ChecksumAlg::Crc32);
}

TEST(FormatDescription, InUseFlagIsClearedForTheCrc) {
    BinlogDecoder dec;
    auto bytes = make_fde("5.7.19-log", 1, kLogEventBinlogInUseFlag);
    EXPECT_FALSE(checksum_matches(Bytes(bytes).first(bytes.size()), false));
    EXPECT_TRUE(checksum_matches(bytes, true));
    Result<Event> ev = dec.decode(bytes, 4);
    ASSERT_TRUE(ev.ok()) << ev.error().message;
    EXPECT_EQ(ev->header.flags & kLogEventBinlogInUseFlag, kLogEventBinlogInUseFlag);
}

TEST(FormatDescription, CorruptFdeIsAChecksumMismatch) {
    BinlogDecoder dec;
    auto bytes = make_fde("8.0.31", 1);
    bytes[30] ^= 0x40;  // inside the server version
    Result<Event> ev = dec.decode(bytes, 4);
    ASSERT_FALSE(ev.ok());
    EXPECT_EQ(ev.error().code, Errc::ChecksumMismatch);
    EXPECT_NE(ev.error().message.find("FORMAT_DESCRIPTION event at offset 4"), std::string::npos)
        << ev.error().message;
    DecoderOptions no_verify;
    no_verify.verify_checksums = false;
    BinlogDecoder lenient(no_verify);
    EXPECT_TRUE(lenient.decode(bytes, 4).ok());
}

TEST(FormatDescription, ChecksumOffMeansNoTrailer) {
    BinlogDecoder dec;
    ASSERT_TRUE(dec.decode(make_fde("5.7.20-log", 0), 4).ok());
    EXPECT_EQ(dec.format().checksum, ChecksumAlg::Off);
    Result<Event> xid = dec.decode(EventBuilder().le(99, 8).event(16), 200);
    ASSERT_TRUE(xid.ok()) << xid.error().message;
    EXPECT_EQ(std::get<XidEvent>(xid->body).xid, 99u);
}

TEST(FormatDescription, OldServerHasNoChecksumField) {
    BinlogDecoder dec;
    Result<Event> ev = dec.decode(make_fde("5.5.27-log", -1), 4);
    ASSERT_TRUE(ev.ok()) << ev.error().message;
    const auto& fde = std::get<FormatDescriptionEvent>(ev->body);
    EXPECT_EQ(fde.checksum, ChecksumAlg::Undefined);
    EXPECT_EQ(fde.post_header_lengths.size(), 42u);
    EXPECT_TRUE(dec.decode(EventBuilder().le(5, 8).event(16), 200).ok());
}

TEST(FormatDescription, MariaDbKnowsChecksumsSince53) {
    BinlogDecoder dec;
    Result<Event> ev = dec.decode(make_fde("10.0.15-MariaDB-log", 0), 4);
    ASSERT_TRUE(ev.ok()) << ev.error().message;
    EXPECT_TRUE(std::get<FormatDescriptionEvent>(ev->body).is_mariadb);
    EXPECT_EQ(dec.format().checksum, ChecksumAlg::Off);
}

TEST(FormatDescription, EventsAfterACrc32FdeAreVerified) {
    BinlogDecoder dec;
    ASSERT_TRUE(dec.decode(make_fde("8.0.31", 1), 4).ok());
    auto xid = EventBuilder().le(7, 8).event(16, true);
    ASSERT_TRUE(dec.decode(xid, 200).ok());
    xid[20] ^= 1;
    Result<Event> bad = dec.decode(xid, 200);
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().code, Errc::ChecksumMismatch);
    EXPECT_NE(bad.error().message.find("XID event at offset 200"), std::string::npos)
        << bad.error().message;
}

TEST(FormatDescription, PreV4BinlogsAreUnsupported) {
    BinlogDecoder dec;
    auto fde = make_fde("4.0.20-log", -1);
    fde[19] = 3;  // binlog version 3
    Result<Event> ev = dec.decode(fde, 4);
    ASSERT_FALSE(ev.ok());
    EXPECT_EQ(ev.error().code, Errc::Unsupported);
    EXPECT_NE(ev.error().message.find("offset 4"), std::string::npos) << ev.error().message;

    // A v1/v3 file starts with START_EVENT_V3 instead.
    auto start = EventBuilder().le(3, 2).str("4.0.20").zeros(44).le(0, 4).event(1);
    Result<Event> v3 = dec.decode(start, 4);
    ASSERT_FALSE(v3.ok());
    EXPECT_EQ(v3.error().code, Errc::Unsupported);
    EXPECT_NE(v3.error().message.find("START_V3 event at offset 4"), std::string::npos)
        << v3.error().message;
}

TEST(FormatDescription, EventSizeMustMatchTheBytes) {
    BinlogDecoder dec;
    auto xid = EventBuilder().le(7, 8).event(16);
    Result<Event> ev = dec.decode(Bytes(xid).first(xid.size() - 1), 50);
    ASSERT_FALSE(ev.ok());
    EXPECT_EQ(ev.error().code, Errc::Malformed);
    EXPECT_NE(ev.error().message.find("XID event at offset 50"), std::string::npos);
}

}  // namespace
}  // namespace cdc::binlog
