// Small helpers to append JSON text to a std::string. No DOM, no allocation beyond the
// output string's own growth: the hot path of every event we publish.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace cdc {

// Appends s as a quoted JSON string, always valid JSON whatever the bytes: control
// characters, '"' and '\' are escaped, valid UTF-8 is copied as is (JSON allows raw UTF-8),
// and bytes that are not UTF-8 (a corrupt name in a binlog without checksums) become U+FFFD.
// Plain ASCII (the common case) is checked 16 bytes at a time and copied in one piece.
void append_json_string(std::string& out, std::string_view s);
// The same function under the name the value formatting uses.
inline void append_json_text(std::string& out, std::string_view s) { append_json_string(out, s); }
// Always replaces invalid sequences, byte by byte (no fast path).
void append_json_string_lossy(std::string& out, std::string_view s);
// Length of the leading run of s that needs no escaping and is plain ASCII: when it is all of
// s, every function above writes s between quotes, unchanged.
size_t plain_ascii_prefix(std::string_view s);
void append_json_int(std::string& out, int64_t v);
void append_json_uint(std::string& out, uint64_t v);
// Shortest text that reads back to the same value; NaN/Inf (not representable) become null.
void append_json_double(std::string& out, double v);
void append_json_float(std::string& out, float v);

// Room write_double_text may use.
inline constexpr size_t kMaxDoubleText = 32;
// Writes the text std::to_chars(double) writes for a finite v (shortest round-trip, fixed or
// scientific, whichever is shorter) at p and returns its end.
char* write_double_text(char* p, double v);

// True when s is well-formed UTF-8 (no overlongs, no surrogates, max U+10FFFF).
bool is_valid_utf8(std::string_view s);

}  // namespace cdc
