// binlog_crc32 is ISA-L's CRC32 (its PCLMUL path for long inputs): it must be zlib's crc32
// for every length (the folding loops and the short rest) and every alignment, also in pieces.
#include "binlog/checksum.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <random>
#include <vector>

#include "binlog/event.h"

namespace cdc::binlog {
namespace {

uint32_t zlib_crc(const uint8_t* p, size_t n) {
    return static_cast<uint32_t>(crc32(crc32(0, nullptr, 0), p, static_cast<uInt>(n)));
}

TEST(Checksum, Crc32IsZlibsForEveryLengthAndAlignment) {
    std::mt19937 rng(7);
    std::vector<uint8_t> data(5000);
    for (auto& b : data) b = static_cast<uint8_t>(rng());
    for (size_t offset = 0; offset < 16; ++offset) {
        for (size_t n = 0; n + offset <= 1100; ++n) {
            ASSERT_EQ(binlog_crc32(Bytes(data.data() + offset, n)),
                      zlib_crc(data.data() + offset, n))
                << n << " bytes at offset " << offset;
        }
    }
    ASSERT_EQ(binlog_crc32(Bytes(data)), zlib_crc(data.data(), data.size()));
    std::vector<uint8_t> zeros(4096, 0), ones(4096, 0xff);
    EXPECT_EQ(binlog_crc32(Bytes(zeros)), zlib_crc(zeros.data(), zeros.size()));
    EXPECT_EQ(binlog_crc32(Bytes(ones)), zlib_crc(ones.data(), ones.size()));
}

TEST(Checksum, MatchesTrailerOfLongEvents) {
    std::mt19937 rng(8);
    for (size_t size : {23u, 64u, 100u, 8192u, 8199u}) {
        std::vector<uint8_t> event(size);
        for (auto& b : event) b = static_cast<uint8_t>(rng());
        uint32_t crc = binlog_crc32(Bytes(event).first(size - kChecksumSize));
        for (size_t i = 0; i < 4; ++i) event[size - 4 + i] = static_cast<uint8_t>(crc >> (8 * i));
        EXPECT_TRUE(checksum_matches(event, false)) << size;
        event[size / 2] ^= 1;
        EXPECT_FALSE(checksum_matches(event, false)) << size;
    }
}

// A FORMAT_DESCRIPTION written while the binlog was open has the in-use flag set, but its CRC
// was computed with the flag clear: the check runs over three pieces, which must chain.
TEST(Checksum, FormatDescriptionWithInUseFlagChainsPieces) {
    std::mt19937 rng(9);
    std::vector<uint8_t> event(120);
    for (auto& b : event) b = static_cast<uint8_t>(rng());
    event[17] &= static_cast<uint8_t>(~kLogEventBinlogInUseFlag);
    uint32_t crc = zlib_crc(event.data(), event.size() - kChecksumSize);
    for (size_t i = 0; i < 4; ++i) event[event.size() - 4 + i] = static_cast<uint8_t>(crc >> (8 * i));
    event[17] |= kLogEventBinlogInUseFlag;
    EXPECT_TRUE(checksum_matches(event, true));
    EXPECT_FALSE(checksum_matches(event, false));  // any other event: the flag byte counts
}

}  // namespace
}  // namespace cdc::binlog
