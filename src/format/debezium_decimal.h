// DECIMAL values in Debezium's three decimal.handling.mode forms, from the decimal's text
// ("-12.30": what decimal_text.h writes for the binlog's binary DECIMAL and what a snapshot
// reads):
//
//   precise  Kafka Connect's Decimal: the unscaled integer (-1230 at scale 2) as the fewest
//            two's-complement big-endian bytes that hold it (java.math.BigInteger.toByteArray),
//            base64 in JSON: -12.30 -> 0xFB 0x32 -> "+zI="
//   string   the text itself: "-12.30"
//   double   the nearest double: -12.3
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace cdc::format {

// Room for the unscaled bytes of any DECIMAL (65 digits need 28 bytes) and snapshot text with a
// few more digits.
inline constexpr size_t kMaxUnscaledBytes = 48;

// Writes the unscaled value of `text` at `scale` fraction digits (padded with zeros; extra
// digits are cut off) into `out` and returns how many bytes it took, or 0 when `text` is not a
// plain decimal ([-+]digits[.digits]) or is too long.
size_t decimal_unscaled_bytes(std::string_view text, unsigned scale,
                              uint8_t (&out)[kMaxUnscaledBytes]);

// The decimal's text as the nearest double; false when it is not a number.
bool decimal_to_double(std::string_view text, double& out);

}  // namespace cdc::format
