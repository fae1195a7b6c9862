// ByteReader: a bounds-checked cursor over a byte span, for every wire format we decode.
//
//   ByteReader r(event_body, /*base_offset=*/event_start);
//   auto table_id = r.read_u48le();
//   auto flags    = r.read_u16le();
//   auto schema   = r.read_u8_prefixed_str();
//   if (!r.ok()) return r.error();   // names the offset where the first bad read happened
//
// Errors are sticky: after the first failed read every later read returns zero/empty and the
// first error is kept, so a decoder reads in a straight line and checks once. Nothing here
// allocates; views returned by read_bytes()/read_str() point into the original span.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>

#include "common/result.h"

namespace cdc {

using Bytes = std::span<const uint8_t>;

inline std::string_view as_string_view(Bytes b) {
    return {reinterpret_cast<const char*>(b.data()), b.size()};
}

class ByteReader {
public:
    ByteReader() = default;
    // base_offset is added to positions in error messages (e.g. the event's offset in the file).
    explicit ByteReader(Bytes data, uint64_t base_offset = 0)
        : data_(data), base_offset_(base_offset) {}

    uint8_t read_u8() { return static_cast<uint8_t>(read_uint_le(1)); }
    uint16_t read_u16le() { return static_cast<uint16_t>(read_uint_le(2)); }
    uint32_t read_u24le() { return static_cast<uint32_t>(read_uint_le(3)); }
    uint32_t read_u32le() { return static_cast<uint32_t>(read_uint_le(4)); }
    uint64_t read_u48le() { return read_uint_le(6); }
    uint64_t read_u64le() { return read_uint_le(8); }
    // n in 1..8 bytes, little-endian / big-endian.
    uint64_t read_uint_le(size_t n) {
        if (n == 0 || n > 8 || !require(n)) return fail_width(n);
        uint64_t v = 0;
        if (data_.size() - pos_ >= 8) {
            // One 8-byte load while 8 bytes remain (nearly every read of a row) instead of a
            // loop of n: the bytes past n are still inside the span, and are masked off.
            v = load_le64(data_.data() + pos_);
            if (n < 8) v &= (uint64_t{1} << (8 * n)) - 1;
        } else {
            for (size_t i = 0; i < n; ++i) v |= static_cast<uint64_t>(data_[pos_ + i]) << (8 * i);
        }
        pos_ += n;
        return v;
    }
    uint64_t read_uint_be(size_t n) {
        if (n == 0 || n > 8 || !require(n)) return fail_width(n);
        uint64_t v = 0;
        if (data_.size() - pos_ >= 8) {
            v = load_le64(data_.data() + pos_);  // as read_uint_le: the first n bytes count
            v = __builtin_bswap64(v) >> (64 - 8 * n);
        } else {
            for (size_t i = 0; i < n; ++i) v = (v << 8) | data_[pos_ + i];
        }
        pos_ += n;
        return v;
    }
    float read_float_le();
    double read_double_le();

    // MySQL length-encoded ("packed") integer: < 0xfb one byte; 0xfc u16; 0xfd u24; 0xfe u64.
    // 0xfb (NULL marker) and 0xff are errors here.
    uint64_t read_packed_int();

    Bytes read_bytes(size_t n) {
        if (!require(n)) return {};
        Bytes out = data_.subspan(pos_, n);
        pos_ += n;
        return out;
    }
    std::string_view read_str(size_t n) { return as_string_view(read_bytes(n)); }
    std::string_view read_u8_prefixed_str() { return read_str(read_u8()); }
    std::string_view read_packed_str();
    // Reads up to and consuming a NUL; fails if none.
    std::string_view read_nul_terminated_str();

    // A reader over the next n bytes, which are consumed from this one. Its errors carry the
    // absolute offset too. If fewer than n bytes remain, this reader fails and so does the child.
    ByteReader sub_reader(size_t n);

    void skip(size_t n) { (void)read_bytes(n); }
    Bytes rest() { return read_bytes(remaining()); }

    size_t remaining() const { return ok_ ? data_.size() - pos_ : 0; }
    bool empty() const { return remaining() == 0; }
    size_t position() const { return pos_; }
    uint64_t absolute_offset() const { return base_offset_ + pos_; }
    bool ok() const { return ok_; }

    // Marks the reader failed (first failure wins) with a message; the offset is appended.
    void fail(Errc code, std::string_view what);
    // The first failure, e.g. "truncated: needed 4 bytes at offset 1234, 2 left".
    Error error() const;

private:
    // The 8 bytes at p as a little-endian number, whatever the host's byte order.
    static uint64_t load_le64(const uint8_t* p) {
        uint64_t v;
        std::memcpy(&v, p, sizeof v);
        if constexpr (std::endian::native == std::endian::big) v = __builtin_bswap64(v);
        return v;
    }

    // The hot check is inline; the failure path (message building) is not.
    bool require(size_t n) {
        if (ok_ && data_.size() - pos_ >= n) return true;
        return require_failed(n);
    }
    bool require_failed(size_t n);
    uint64_t fail_width(size_t n);

    Bytes data_;
    uint64_t base_offset_ = 0;
    size_t pos_ = 0;
    bool ok_ = true;
    Errc err_code_ = Errc::Truncated;
    std::string err_msg_;
};

}  // namespace cdc
