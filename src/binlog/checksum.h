// CRC32 trailers of binlog events (binlog_checksum=CRC32): zlib's crc32 over the event bytes
// before the 4-byte little-endian trailer.
#pragma once

#include <cstdint>

#include "common/byte_reader.h"

namespace cdc::binlog {

inline constexpr size_t kChecksumSize = 4;

// CRC32 of `bytes`, as MySQL computes it (zlib's crc32 starting from 0).
uint32_t binlog_crc32(Bytes bytes);

// True when the last 4 bytes of `event` are the CRC32 of the bytes before them. For a
// FORMAT_DESCRIPTION pass is_format_description: the server computed its CRC with
// LOG_EVENT_BINLOG_IN_USE_F cleared and sets the flag afterwards while the file is open.
bool checksum_matches(Bytes event, bool is_format_description);

}  // namespace cdc::binlog
