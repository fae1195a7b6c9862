#include "binlog/json/json_scalar.h"

#include <bit>
#include <cstring>

#include "binlog/json/json_opaque.h"
#include "common/json_writer.h"

namespace cdc::binlog::json {
namespace {

uint64_t load_le(const uint8_t* p, size_t n) {
    uint64_t v = 0;
    for (size_t i = 0; i < n; ++i) v |= static_cast<uint64_t>(p[i]) << (8 * i);
    return v;
}

size_t offset_size(bool large) { return large ? 4 : 2; }
size_t key_entry_size(bool large) { return large ? 6 : 4; }
size_t value_entry_size(bool large) { return large ? 5 : 3; }

bool is_inlined(uint8_t type, bool large) {
    switch (type) {
        case kLiteral:
        case kInt16:
        case kUInt16: return true;
        case kInt32:
        case kUInt32: return large;
        default: return false;
    }
}

// Reads an n-byte little-endian integer at data[0..n), failing when the bytes are not there.
bool fixed(Bytes data, size_t n, uint64_t& v) {
    if (data.size() < n) return false;
    v = load_le(data.data(), n);
    return true;
}

Status append_string(Bytes data, std::string& out) {
    uint32_t len = 0;
    size_t used = 0;
    if (!read_varlen(data, len, used) || data.size() - used < len) {
        return malformed("string length runs past its container");
    }
    // Strings are utf8mb4 in MySQL; lossy keeps our output valid UTF-8 whatever the bytes.
    append_json_string_lossy(out, as_string_view(data.subspan(used, len)));
    return {};
}

Status append_opaque_value(Bytes data, std::string& out) {
    uint32_t len = 0;
    size_t used = 0;
    if (data.empty() || !read_varlen(data.subspan(1), len, used) || data.size() - 1 - used < len) {
        return malformed("opaque value runs past its container");
    }
    return append_opaque(data[0], data.subspan(1 + used, len), out);
}

}  // namespace

Error malformed(std::string what) {
    return make_error(Errc::Malformed, "binary JSON: " + std::move(what));
}

bool read_varlen(Bytes data, uint32_t& value, size_t& used) {
    uint64_t v = 0;
    for (size_t i = 0; i < data.size() && i < 5; ++i) {
        v |= static_cast<uint64_t>(data[i] & 0x7f) << (7 * i);
        if ((data[i] & 0x80) == 0) {
            if (v > UINT32_MAX) return false;
            value = static_cast<uint32_t>(v);
            used = i + 1;
            return true;
        }
    }
    return false;
}

Status ContainerView::parse(uint8_t type, Bytes region) {
    large_ = type == kLargeObject || type == kLargeArray;
    object_ = type == kSmallObject || type == kLargeObject;
    const size_t osz = offset_size(large_);
    uint64_t count = 0;
    uint64_t bytes = 0;
    if (!fixed(region, osz, count) ||
        !fixed(region.subspan(std::min(osz, region.size())), osz, bytes)) {
        return malformed("container header truncated");
    }
    if (bytes > region.size()) return malformed("container size exceeds the available bytes");
    uint64_t header = 2 * osz + count * value_entry_size(large_);
    if (object_) header += count * key_entry_size(large_);
    if (header > bytes) return malformed("container entries exceed its size");
    data_ = region.first(static_cast<size_t>(bytes));
    count_ = static_cast<uint32_t>(count);
    return {};
}

Result<std::string_view> ContainerView::key(uint32_t i) const {
    const size_t entry = 2 * offset_size(large_) + size_t{i} * key_entry_size(large_);
    const uint64_t offset = load_le(data_.data() + entry, offset_size(large_));
    const uint64_t length = load_le(data_.data() + entry + offset_size(large_), 2);
    const size_t keys_start = 2 * offset_size(large_) +
                              size_t{count_} * (key_entry_size(large_) + value_entry_size(large_));
    if (offset < keys_start || offset + length > data_.size()) {
        return malformed("object key outside its container");
    }
    return as_string_view(data_.subspan(static_cast<size_t>(offset), static_cast<size_t>(length)));
}

Status ContainerView::element(uint32_t i, uint8_t& type, Bytes& value) const {
    size_t entry = 2 * offset_size(large_) + size_t{i} * value_entry_size(large_);
    if (object_) entry += size_t{count_} * key_entry_size(large_);
    type = data_[entry];
    if (is_inlined(type, large_)) {
        value = data_.subspan(entry + 1, offset_size(large_));
        return {};
    }
    const uint64_t offset = load_le(data_.data() + entry + 1, offset_size(large_));
    // A value lives after every entry: a smaller offset is corrupt and, for containers,
    // could make a container contain itself.
    if (offset < entry + value_entry_size(large_) || offset >= data_.size()) {
        return malformed("value offset outside its container");
    }
    value = data_.subspan(static_cast<size_t>(offset));
    return {};
}

Status append_scalar(uint8_t type, Bytes data, std::string& out) {
    uint64_t v = 0;
    switch (type) {
        case kLiteral:
            if (data.empty()) break;
            if (data[0] == kNullLiteral)
                out += "null";
            else if (data[0] == kTrueLiteral)
                out += "true";
            else if (data[0] == kFalseLiteral)
                out += "false";
            else
                return malformed("unknown literal " + std::to_string(data[0]));
            return {};
        case kInt16:
            if (!fixed(data, 2, v)) break;
            append_json_int(out, static_cast<int16_t>(v));
            return {};
        case kUInt16:
            if (!fixed(data, 2, v)) break;
            append_json_uint(out, v);
            return {};
        case kInt32:
            if (!fixed(data, 4, v)) break;
            append_json_int(out, static_cast<int32_t>(v));
            return {};
        case kUInt32:
            if (!fixed(data, 4, v)) break;
            append_json_uint(out, v);
            return {};
        case kInt64:
            if (!fixed(data, 8, v)) break;
            append_json_int(out, static_cast<int64_t>(v));
            return {};
        case kUInt64:
            if (!fixed(data, 8, v)) break;
            append_json_uint(out, v);
            return {};
        case kDouble:
            if (!fixed(data, 8, v)) break;
            append_json_double(out, std::bit_cast<double>(v));
            return {};
        case kString: return append_string(data, out);
        case kOpaque: return append_opaque_value(data, out);
        default: return malformed("unknown value type " + std::to_string(type));
    }
    return malformed("scalar of type " + std::to_string(type) + " truncated");
}

}  // namespace cdc::binlog::json
