// Test helper for the charset tests: text in a collation's charset as the JSON string
// append_text_json writes for it, and the JSON string expected.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "format/charset.h"

namespace cdc::test {

inline std::string json(std::string_view bytes, uint16_t collation) {
    std::string out;
    format::append_text_json(bytes, collation, out);
    return out;
}

// `s` (already UTF-8, nothing to escape) quoted as a JSON string.
inline std::string q(std::string_view s) { return "\"" + std::string(s) + "\""; }

}  // namespace cdc::test
