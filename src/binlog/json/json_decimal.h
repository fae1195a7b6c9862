// MySQL's binary DECIMAL (decimal2bin/bin2decimal in strings/decimal.cc) to its text, for
// DECIMAL values inside binary JSON.
//
// A private copy on purpose: binlog/ must not depend on format/, which has its own
// DECIMAL-to-text for column values. Both follow the same layout: groups of 9 digits in 4
// big-endian bytes, a shorter leading/trailing group for the remaining digits, the sign in
// the top bit of the first byte (set = non-negative) and every byte inverted when negative.
#pragma once

#include <cstdint>
#include <string>

#include "common/byte_reader.h"

namespace cdc::binlog::json {

// Bytes a DECIMAL(precision, scale) takes in binary form, or 0 if precision/scale are not a
// valid MySQL DECIMAL (precision 1..65, scale 0..30, scale <= precision).
size_t binary_decimal_size(int precision, int scale);

// Appends the decimal as MySQL's decimal2string prints it: optional '-', the integer digits
// without leading zeros (at least "0"), then '.' and exactly `scale` digits when scale > 0.
// Returns false when `bin` is not exactly one valid binary decimal of that precision/scale.
bool append_binary_decimal(std::string& out, Bytes bin, int precision, int scale);

}  // namespace cdc::binlog::json
