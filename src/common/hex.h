// Hex text of bytes, both ways: for X'..' literals (binlog XA statements, snapshot keys in SQL)
// and the state file's binary key values.
//
//   to_hex("a1") == "6131";   from_hex("6131", out) && out == "a1"
#pragma once

#include <string>
#include <string_view>

namespace cdc {

// 0..15 for 0-9, a-f, A-F; -1 for anything else.
inline int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Two lower-case hex digits per byte.
std::string to_hex(std::string_view bytes);

// The bytes of `hex` (digits of either case) into `out`; false, with `out` unspecified, for an
// odd length or a character that is not a hex digit.
bool from_hex(std::string_view hex, std::string& out);

}  // namespace cdc
