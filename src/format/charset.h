// Column text in its MySQL character set to a JSON string of UTF-8.
//
//   utf8mb4, utf8mb3, ascii, unknown (0)   copied; invalid bytes become U+FFFD
//   latin1                                 MySQL's latin1, which is cp1252 (0x80 is '€')
//   binary (63)                            base64, like every binary value
//   everything else (ucs2, utf16, latin2, cp1251, gbk, sjis, ...) through glibc iconv, one
//   converter per charset per thread, opened on first use; a charset iconv lacks is treated
//   like unknown.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace cdc::format {

// Appends the quoted JSON string for `bytes` stored with collation id `collation`.
void append_text_json(std::string_view bytes, uint16_t collation, std::string& out);

// The same text when it is that of `bytes` between quotes (plain ASCII needing no escape, in a
// charset where ASCII is itself: the UTF-8 ones and latin1): written at p, which has room for
// bytes.size() + 2, returning the end. Otherwise nullptr, writing nothing.
char* write_plain_text_json(std::string_view bytes, uint16_t collation, char* p);

}  // namespace cdc::format
