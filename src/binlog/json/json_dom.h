// A small mutable tree of a binary JSON document, used only to apply the partial updates of
// PARTIAL_UPDATE_ROWS_EVENT (json_diff.cpp). Plain rendering never builds one.
//
//   Result<JsonNode> doc = parse_json_dom(before);   // scalars stay views into `before`
//   ... edit doc->members / doc->elements ...
//   append_json_dom(*doc, out);
//
// Scalars keep their binary encoding (type + a view of the bytes), so a JsonNode must not
// outlive the buffers it was parsed from; rendering reuses the scalar code of the streaming
// renderer, so both produce identical text.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "binlog/json/json_scalar.h"
#include "common/byte_reader.h"
#include "common/result.h"

namespace cdc::binlog::json {

struct JsonMember;

struct JsonNode {
    enum class Kind : uint8_t { Scalar, Object, Array };
    Kind kind = Kind::Scalar;
    uint8_t scalar_type = kLiteral;   // Scalar: its binary type code
    Bytes scalar;                     // Scalar: its encoding (may run past its end)
    std::vector<JsonMember> members;  // Object: in MySQL's key order (length, then bytes)
    std::vector<JsonNode> elements;   // Array
};

struct JsonMember {
    std::string key;
    JsonNode value;
};

// Builds the tree of a binary JSON document (empty input = null). Same validation and depth
// limit as json_binary_to_text, and at most one node per input byte, so shared offsets in a
// corrupt document cannot make the tree explode.
Result<JsonNode> parse_json_dom(Bytes binary);

// Appends the document's text, formatted like json_binary_to_text.
Status append_json_dom(const JsonNode& node, std::string& out);

// MySQL orders object keys by length, then bytewise (Json_key_comparator).
bool json_key_less(std::string_view a, std::string_view b);

// The member with this key, or nullptr.
JsonNode* find_member(JsonNode& object, std::string_view key);

}  // namespace cdc::binlog::json
