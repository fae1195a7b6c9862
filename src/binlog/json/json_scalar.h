// Building blocks of MySQL's binary JSON shared by the streaming text renderer
// (json_binary.cpp) and the DOM used for partial updates (json_dom.cpp): type codes, the
// variable-length integer, the container header, and the text of every scalar.
//
// The grammar (MySQL sql-common/json_binary.h):
//   doc    ::= type value
//   object ::= element-count size key-entry* value-entry* key* value*
//   array  ::= element-count size value-entry* value*
// count, size and offsets are 2 bytes in the small formats and 4 in the large ones; offsets
// count from the byte after the container's type byte. A value entry is a type byte plus
// either the offset of the value or, for literals, [u]int16 (and [u]int32 in the large
// formats), the value itself.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/byte_reader.h"
#include "common/result.h"

namespace cdc::binlog::json {

enum JsonType : uint8_t {
    kSmallObject = 0x00,
    kLargeObject = 0x01,
    kSmallArray = 0x02,
    kLargeArray = 0x03,
    kLiteral = 0x04,
    kInt16 = 0x05,
    kUInt16 = 0x06,
    kInt32 = 0x07,
    kUInt32 = 0x08,
    kInt64 = 0x09,
    kUInt64 = 0x0a,
    kDouble = 0x0b,
    kString = 0x0c,
    kOpaque = 0x0f,
};

enum LiteralValue : uint8_t { kNullLiteral = 0x00, kTrueLiteral = 0x01, kFalseLiteral = 0x02 };

// MySQL's JSON_DOCUMENT_MAX_DEPTH: containers nested deeper are rejected.
inline constexpr int kMaxDepth = 100;

inline bool is_container(uint8_t type) { return type <= kLargeArray; }

// Reads the 7-bits-per-byte length used by strings and opaque values (at most 5 bytes, value
// at most UINT32_MAX). Returns false if it is malformed or runs past the end of `data`.
bool read_varlen(Bytes data, uint32_t& value, size_t& used);

// The header of one object or array. `data` starts after the type byte and ends at the
// container's declared size, so every offset inside can be checked against it.
class ContainerView {
public:
    // Validates the header: the two count/size fields fit, size <= region, and the key and
    // value entries fit inside size.
    Status parse(uint8_t type, Bytes region);

    bool is_object() const { return object_; }
    uint32_t count() const { return count_; }
    size_t size() const { return data_.size(); }

    // The i-th key of an object (i < count()).
    Result<std::string_view> key(uint32_t i) const;
    // The i-th value: its type and the bytes it starts at. Inlined scalars get the entry's
    // own bytes; others get the container bytes from the value's offset to the end.
    Status element(uint32_t i, uint8_t& type, Bytes& value) const;

private:
    Bytes data_;
    bool large_ = false;
    bool object_ = false;
    uint32_t count_ = 0;
};

// Appends the JSON text of a scalar of binary type `type` whose encoding starts at `data`
// (which may extend past its end). Containers are not scalars: Malformed.
Status append_scalar(uint8_t type, Bytes data, std::string& out);

// Depth and output-size guard shared by the renderers. Shared offsets in a malicious
// document could make a small input render to an exponential amount of text; a real document
// never renders to more than a fixed multiple of its binary size.
class RenderBudget {
public:
    RenderBudget(size_t input_size, size_t output_start)
        : limit_(output_start + input_size * 64 + 4096) {}
    bool exceeded(const std::string& out) const { return out.size() > limit_; }

private:
    size_t limit_;
};

Error malformed(std::string what);

}  // namespace cdc::binlog::json
