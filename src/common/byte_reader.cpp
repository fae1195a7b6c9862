#include "common/byte_reader.h"

#include <bit>
#include <cstring>

namespace cdc {

bool ByteReader::require_failed(size_t n) {
    if (!ok_) return false;
    fail(Errc::Truncated, "needed " + std::to_string(n) + " bytes, " +
                              std::to_string(data_.size() - pos_) + " left");
    return false;
}

uint64_t ByteReader::fail_width(size_t n) {
    // Either the width is a bug of ours or require() already failed (then this is a no-op).
    if (n == 0 || n > 8) fail(Errc::Internal, "read width " + std::to_string(n));
    return 0;
}

float ByteReader::read_float_le() {
    return std::bit_cast<float>(static_cast<uint32_t>(read_uint_le(4)));
}

double ByteReader::read_double_le() { return std::bit_cast<double>(read_uint_le(8)); }

uint64_t ByteReader::read_packed_int() {
    uint8_t first = read_u8();
    if (!ok_) return 0;
    if (first < 0xfb) return first;
    switch (first) {
        case 0xfc: return read_uint_le(2);
        case 0xfd: return read_uint_le(3);
        case 0xfe: return read_uint_le(8);
        default:
            --pos_;
            fail(Errc::Malformed, "invalid length-encoded integer prefix 0x" +
                                      std::string(first == 0xfb ? "fb" : "ff"));
            return 0;
    }
}

std::string_view ByteReader::read_packed_str() {
    uint64_t n = read_packed_int();
    if (!ok_) return {};
    if (n > data_.size() - pos_) {
        fail(Errc::Truncated, "string of " + std::to_string(n) + " bytes, " +
                                  std::to_string(data_.size() - pos_) + " left");
        return {};
    }
    return read_str(static_cast<size_t>(n));
}

std::string_view ByteReader::read_nul_terminated_str() {
    if (!ok_) return {};
    const void* nul = std::memchr(data_.data() + pos_, 0, data_.size() - pos_);
    if (nul == nullptr) {
        fail(Errc::Truncated, "no NUL terminator");
        return {};
    }
    size_t len = static_cast<const uint8_t*>(nul) - (data_.data() + pos_);
    std::string_view s = read_str(len);
    pos_ += 1;
    return s;
}

ByteReader ByteReader::sub_reader(size_t n) {
    uint64_t child_base = absolute_offset();
    if (!require(n)) {
        ByteReader failed(Bytes{}, child_base);
        failed.ok_ = false;
        failed.err_code_ = err_code_;
        failed.err_msg_ = err_msg_;
        return failed;
    }
    ByteReader child(data_.subspan(pos_, n), child_base);
    pos_ += n;
    return child;
}

void ByteReader::fail(Errc code, std::string_view what) {
    if (!ok_) return;
    ok_ = false;
    err_code_ = code;
    err_msg_ = std::string(what) + " at offset " + std::to_string(base_offset_ + pos_);
}

Error ByteReader::error() const {
    if (ok_) return Error{Errc::Internal, "ByteReader::error() called on a healthy reader"};
    return Error{err_code_, std::string(errc_name(err_code_)) + ": " + err_msg_};
}

}  // namespace cdc
