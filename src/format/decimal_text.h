// MySQL's binary DECIMAL (see binlog/values/decimal_values.cpp for the layout) to exact text,
// as the text protocol shows it: "-12.30", "0.00", "-0.001", "100"; exactly `scale` digits after
// the point, no leading zeros in the integer part, no sign on zero.
#pragma once

#include <string>
#include <string_view>

namespace cdc::format {

// Appends the text of `binary`, a DECIMAL(precision, scale), in double quotes when `quoted`.
// Returns false (appending nothing) when the size does not match precision/scale or a digit
// group is out of range.
bool append_decimal_text(std::string_view binary, unsigned precision, unsigned scale,
                         std::string& out, bool quoted = false);

// The most a DECIMAL's text takes (quoted).
inline constexpr size_t kMaxDecimalText = 72;
// Same text written at `out` (room for kMaxDecimalText); returns its end, or nullptr when
// append_decimal_text would return false. For callers that batch their output.
char* write_decimal_text(std::string_view binary, unsigned precision, unsigned scale, char* out,
                         bool quoted);

// A DECIMAL's text as the server sends it (a snapshot's result set) without ZEROFILL's padding
// ("0000000031" -> "31", "04.70" -> "4.70", "00.01" -> "0.01"): the binlog carries the value,
// not the display width, so this is the text append_decimal_text gives for the same value.
// Anything else is returned as it is.
std::string_view strip_decimal_zerofill(std::string_view text);

}  // namespace cdc::format
