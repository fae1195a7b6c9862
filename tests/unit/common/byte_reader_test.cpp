#include "common/byte_reader.h"

#include <gtest/gtest.h>

#include <vector>

namespace cdc {
namespace {

TEST(ByteReader, ReadsLittleAndBigEndianIntegers) {
    std::vector<uint8_t> b = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08};
    ByteReader r(b);
    EXPECT_EQ(r.read_u16le(), 0x0201u);
    EXPECT_EQ(r.read_u24le(), 0x050403u);
    EXPECT_EQ(r.read_uint_be(3), 0x060708u);
    EXPECT_TRUE(r.ok());
    EXPECT_TRUE(r.empty());
}

// Reads load 8 bytes at once while 8 remain and go byte by byte near the end: every width at
// every position must give the same number either way, and never read past the span.
TEST(ByteReader, EveryWidthAtEveryPositionMatchesBytewise) {
    std::vector<uint8_t> b(24);
    for (size_t i = 0; i < b.size(); ++i) b[i] = static_cast<uint8_t>(0x80 + 7 * i);
    for (size_t n = 1; n <= 8; ++n) {
        for (size_t pos = 0; pos + n <= b.size(); ++pos) {
            uint64_t le = 0, be = 0;
            for (size_t i = 0; i < n; ++i) {
                le |= static_cast<uint64_t>(b[pos + i]) << (8 * i);
                be = (be << 8) | b[pos + i];
            }
            // The span ends right after the value, so a read past it would be a bounds error.
            Bytes span(b.data(), pos + n);
            ByteReader r1(span), r2(span);
            r1.skip(pos);
            r2.skip(pos);
            EXPECT_EQ(r1.read_uint_le(n), le) << n << " at " << pos;
            EXPECT_EQ(r2.read_uint_be(n), be) << n << " at " << pos;
            EXPECT_TRUE(r1.ok() && r1.empty() && r2.ok() && r2.empty());
            ByteReader whole(b);
            whole.skip(pos);
            EXPECT_EQ(whole.read_uint_le(n), le);
            EXPECT_EQ(whole.position(), pos + n);
        }
    }
}

TEST(ByteReader, U48AndU64) {
    std::vector<uint8_t> b = {0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, 1, 0, 0, 0, 0, 0, 0, 0x80};
    ByteReader r(b);
    EXPECT_EQ(r.read_u48le(), 0x7fffffffffffull);
    EXPECT_EQ(r.read_u64le(), 0x8000000000000001ull);
    EXPECT_TRUE(r.ok());
}

TEST(ByteReader, FailureIsStickyAndNamesTheOffset) {
    std::vector<uint8_t> b = {1, 2, 3};
    ByteReader r(b, 1000);
    EXPECT_EQ(r.read_u16le(), 0x0201u);
    EXPECT_EQ(r.read_u32le(), 0u);  // only one byte left
    EXPECT_FALSE(r.ok());
    EXPECT_EQ(r.read_u8(), 0u);  // sticky: no further reads succeed
    EXPECT_EQ(r.remaining(), 0u);
    Error e = r.error();
    EXPECT_EQ(e.code, Errc::Truncated);
    EXPECT_NE(e.message.find("offset 1002"), std::string::npos) << e.message;
}

TEST(ByteReader, PackedIntegers) {
    std::vector<uint8_t> b = {0xfa, 0xfc, 0x34, 0x12, 0xfd, 0x01, 0x02, 0x03,
                              0xfe, 1, 2, 3, 4, 5, 6, 7, 8};
    ByteReader r(b);
    EXPECT_EQ(r.read_packed_int(), 250u);
    EXPECT_EQ(r.read_packed_int(), 0x1234u);
    EXPECT_EQ(r.read_packed_int(), 0x030201u);
    EXPECT_EQ(r.read_packed_int(), 0x0807060504030201ull);
    EXPECT_TRUE(r.ok());
}

TEST(ByteReader, PackedIntNullMarkerIsAnError) {
    std::vector<uint8_t> b = {0xfb};
    ByteReader r(b);
    (void)r.read_packed_int();
    EXPECT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, Errc::Malformed);
}

TEST(ByteReader, PackedStringLongerThanInputFails) {
    std::vector<uint8_t> b = {0x05, 'a', 'b'};
    ByteReader r(b);
    EXPECT_TRUE(r.read_packed_str().empty());
    EXPECT_FALSE(r.ok());
}

TEST(ByteReader, NulTerminatedString) {
    std::vector<uint8_t> b = {'a', 'b', 0, 'c'};
    ByteReader r(b);
    EXPECT_EQ(r.read_nul_terminated_str(), "ab");
    EXPECT_EQ(r.remaining(), 1u);
    EXPECT_TRUE(r.read_nul_terminated_str().empty());
    EXPECT_FALSE(r.ok());
}

TEST(ByteReader, SubReaderIsBoundedAndKeepsAbsoluteOffsets) {
    std::vector<uint8_t> b = {1, 2, 3, 4, 5};
    ByteReader r(b, 100);
    r.skip(1);
    ByteReader sub = r.sub_reader(2);
    EXPECT_EQ(r.read_u8(), 4u);
    EXPECT_EQ(sub.read_u16le(), 0x0302u);
    EXPECT_EQ(sub.read_u8(), 0u);
    EXPECT_FALSE(sub.ok());
    EXPECT_NE(sub.error().message.find("offset 103"), std::string::npos) << sub.error().message;
    EXPECT_TRUE(r.ok());
}

TEST(ByteReader, SubReaderBeyondEndFailsBoth) {
    std::vector<uint8_t> b = {1, 2};
    ByteReader r(b);
    ByteReader sub = r.sub_reader(3);
    EXPECT_FALSE(r.ok());
    EXPECT_FALSE(sub.ok());
    EXPECT_EQ(sub.read_u8(), 0u);
}

TEST(ByteReader, FloatsAreLittleEndianIeee) {
    std::vector<uint8_t> b = {0x00, 0x00, 0x80, 0x3f, 0, 0, 0, 0, 0, 0, 0xf0, 0xbf};
    ByteReader r(b);
    EXPECT_EQ(r.read_float_le(), 1.0f);
    EXPECT_EQ(r.read_double_le(), -1.0);
}

}  // namespace
}  // namespace cdc
