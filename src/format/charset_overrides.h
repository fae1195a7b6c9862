// Characters whose Unicode code point in the server's own charset table differs from glibc
// iconv's for the same charset (MariaDB 10.11, strings/ctype-*.c). Converting those through
// iconv alone would put another character in the output than SELECT shows, silently: sjis and
// ujis '\' stored as 0x815F / 0xA1C0 (iconv: U+FF3C), Big5's ETEN kana (iconv: private use),
// swe7's letters, ... charset.cpp converts text with iconv between these characters and writes
// the server's code point for each of them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace cdc::format {

struct CharOverride {
    uint32_t code;        // the character's bytes, big-endian (0x815F for the two bytes 81 5F)
    uint32_t code_point;  // what the server converts it to
};

// Sorted by code; empty when iconv agrees with the server on every character.
std::span<const CharOverride> charset_overrides(std::string_view charset);

// How a multi-byte charset's lead byte tells a character's length (the server's mbcharlen).
enum class CharShape : uint8_t { kSingleByte, kShiftJis, kEucJp, kBig5 };
CharShape char_shape(std::string_view charset);
size_t char_length(CharShape shape, unsigned char lead);

std::optional<uint32_t> override_for(std::span<const CharOverride> overrides, uint32_t code);

}  // namespace cdc::format
