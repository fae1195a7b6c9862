// The JSON paths of partial-update diffs ("$.a[1]", "$.\"key with space\"[last-1]"), parsed as
// MySQL's json_path.cc parses them. A diff path only ever holds member and array-cell legs;
// wildcards, ranges and "**" are rejected (Unsupported).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace cdc::binlog::json {

struct PathLeg {
    enum class Kind : uint8_t { Member, ArrayCell };
    Kind kind = Kind::Member;
    std::string member;  // Member: the unescaped key
    uint32_t index = 0;  // ArrayCell: [index], or [last-index] when from_end
    bool from_end = false;
};

Result<std::vector<PathLeg>> parse_json_path(std::string_view text);

// MySQL's Json_array_index: where an array-cell leg points in an array of `size` elements.
// `position` is clamped (to `size` for inserts); `within_bounds` says whether it names an
// existing element.
struct ArrayIndex {
    size_t position;
    bool within_bounds;
};
ArrayIndex resolve_array_index(const PathLeg& leg, size_t size);

}  // namespace cdc::binlog::json
