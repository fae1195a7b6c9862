// MySQL's serialization library format (libs/mysql/serialization), used by GTID_TAGGED and the
// tags of PREVIOUS_GTIDS: variable-length integers whose first byte's trailing one-bits count
// the extra bytes; signed values zig-zag encoded (sign in bit 0).
#pragma once

#include <cstdint>
#include <string_view>

#include "common/byte_reader.h"

namespace cdc::binlog {

uint64_t read_varlen_u64(ByteReader& r);
int64_t read_varlen_i64(ByteReader& r);
// A string: varlen length, then the bytes.
std::string_view read_varlen_str(ByteReader& r);

}  // namespace cdc::binlog
