// Test-only encoders that follow MySQL's *write* side (decimal2bin in mysys/decimal.cc,
// my_time_packed_to_binary / my_datetime_packed_to_binary in my_time.cc) step by step, so the
// decoders are checked against the documented algorithm rather than against themselves.
// Used by tests in unit/values and unit/format.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace cdc::testing {

using ByteVec = std::vector<uint8_t>;

inline void put_be(ByteVec& out, uint64_t v, unsigned n) {
    for (unsigned i = n; i-- > 0;) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

// text like "-123.45" (digits, optional sign, optional point) as DECIMAL(precision, scale).
inline ByteVec encode_decimal(const std::string& text, unsigned precision, unsigned scale) {
    static constexpr unsigned kDig2Bytes[10] = {0, 1, 1, 2, 2, 3, 3, 4, 4, 4};
    bool negative = !text.empty() && text[0] == '-';
    std::string body = negative ? text.substr(1) : text;
    size_t point = body.find('.');
    std::string int_digits = body.substr(0, point);
    std::string frac_digits = point == std::string::npos ? "" : body.substr(point + 1);
    unsigned intg = precision - scale;
    int_digits.erase(0, int_digits.find_first_not_of('0'));  // "0" -> "" (fits DECIMAL(5,5))
    int_digits = std::string(intg - int_digits.size(), '0') + int_digits;  // pad on the left
    frac_digits += std::string(scale - frac_digits.size(), '0');           // and on the right
    ByteVec out;
    // Integer part: the first intg % 9 digits in a short group, then groups of 9.
    size_t lead = intg % 9;
    if (lead != 0) put_be(out, std::stoull(int_digits.substr(0, lead)), kDig2Bytes[lead]);
    for (size_t i = lead; i < int_digits.size(); i += 9) {
        put_be(out, std::stoull(int_digits.substr(i, 9)), 4);
    }
    // Fraction: groups of 9, then the last scale % 9 digits in a short group.
    size_t full = scale / 9 * 9;
    for (size_t i = 0; i < full; i += 9) put_be(out, std::stoull(frac_digits.substr(i, 9)), 4);
    if (scale % 9 != 0) {
        put_be(out, std::stoull(frac_digits.substr(full)), kDig2Bytes[scale % 9]);
    }
    if (negative) {
        for (auto& b : out) b = static_cast<uint8_t>(~b);
    }
    out[0] ^= 0x80;
    return out;
}

// MySQL's packed TIME: ((h << 12 | m << 6 | s) << 24) + micros, negated for negative times.
inline int64_t pack_time(bool negative, int64_t h, int64_t m, int64_t s, int64_t micros) {
    int64_t nr = ((h << 12 | m << 6 | s) << 24) + micros;
    return negative ? -nr : nr;
}

// my_time_packed_to_binary: int part = nr >> 24 (floor), frac part = nr % 2^24 (C remainder,
// so negative for negative nr), then stored big-endian with offsets.
inline ByteVec encode_time2(int64_t nr, unsigned fsp) {
    ByteVec out;
    int64_t int_part = nr >> 24;  // arithmetic shift, like MySQL's macro
    int64_t frac_part = nr % (int64_t{1} << 24);
    if (fsp >= 5) {
        put_be(out, static_cast<uint64_t>(nr + 0x800000000000), 6);
        return out;
    }
    put_be(out, static_cast<uint64_t>(int_part + 0x800000), 3);
    if (fsp == 1 || fsp == 2) {
        out.push_back(static_cast<uint8_t>(static_cast<int8_t>(frac_part / 10000)));
    } else if (fsp == 3 || fsp == 4) {
        put_be(out, static_cast<uint16_t>(static_cast<int16_t>(frac_part / 100)), 2);
    }
    return out;
}

// my_datetime_packed_to_binary for a non-negative DATETIME.
inline ByteVec encode_datetime2(int64_t year, int64_t month, int64_t day, int64_t hour,
                                int64_t minute, int64_t second, int64_t micros, unsigned fsp) {
    int64_t ymd = ((year * 13 + month) << 5) | day;
    int64_t hms = (hour << 12) | (minute << 6) | second;
    int64_t int_part = (ymd << 17) | hms;
    ByteVec out;
    put_be(out, static_cast<uint64_t>(int_part + 0x8000000000), 5);
    if (fsp == 1 || fsp == 2) out.push_back(static_cast<uint8_t>(micros / 10000));
    if (fsp == 3 || fsp == 4) put_be(out, static_cast<uint64_t>(micros / 100), 2);
    if (fsp == 5 || fsp == 6) put_be(out, static_cast<uint64_t>(micros), 3);
    return out;
}

}  // namespace cdc::testing
