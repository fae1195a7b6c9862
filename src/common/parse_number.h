// The one parser of numbers in text from servers, brokers and file names: the whole text must
// be the number, in base 10 (std::from_chars: no sign for unsigned types, no spaces, no '+').
//
//   uint64_t pos = 0;
//   if (!parse_number(row[1], pos)) return malformed(...);
//   std::optional<uint64_t> end = parse_u64(row[*end_col]);  // nullopt for NULL or not a number
#pragma once

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

namespace cdc {

// False when `text` is empty, not a number of that type in full, or out of its range. On
// false `out` holds nothing useful.
template <class Number>
bool parse_number(std::string_view text, Number& out) {
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc() && end == text.data() + text.size();
}

// A result column's unsigned number; nullopt for SQL NULL too.
inline std::optional<uint64_t> parse_u64(const std::optional<std::string>& text) {
    uint64_t v = 0;
    if (!text || !parse_number(*text, v)) return std::nullopt;
    return v;
}

}  // namespace cdc
