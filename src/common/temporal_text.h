// The one writer of MySQL's temporal text, by plain parts so that every module can use it:
// format/ for decoded values, mysql/ for the text forms of binary-protocol values, binlog/json/
// for the temporals inside binary JSON.
//
//   char buf[kMaxTemporalText];
//   char* p = put_date_text(buf, 2024, 1, 31);   // "2024-01-31"
//   *p++ = ' ';
//   p = put_clock_text(p, 13, 45, 0);            // "13:45:00"
//   p = put_fraction_text(p, 120000, 3);         // ".120"
//
// Inline: these sit on the decode path, one call per temporal value.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "common/digits.h"

namespace cdc {

// Room enough for any temporal text, quotes included.
inline constexpr size_t kMaxTemporalText = 40;

// `v` in at least `min_width` digits, zero-padded: years past 9999 and TIME hours past 99 are
// printed in full.
inline char* put_min_digits(char* p, uint32_t v, unsigned min_width) {
    if (min_width == 2 && v < 100) return put_two_digits(p, v);         // the usual hour
    if (min_width == 4 && v < 10000) return put_fixed_digits(p, v, 4);  // the usual year
    unsigned width = 1;
    for (uint32_t x = v; x >= 10; x /= 10) ++width;
    return put_fixed_digits(p, v, width < min_width ? min_width : width);
}

// "YYYY-MM-DD".
inline char* put_date_text(char* p, uint32_t year, uint32_t month, uint32_t day) {
    p = put_min_digits(p, year, 4);
    *p++ = '-';
    p = put_two_digits(p, month);
    *p++ = '-';
    return put_two_digits(p, day);
}

// "HH:MM:SS", the hours at least two digits.
inline char* put_clock_text(char* p, uint32_t hour, uint32_t minute, uint32_t second) {
    p = put_min_digits(p, hour, 2);
    *p++ = ':';
    p = put_two_digits(p, minute);
    *p++ = ':';
    return put_two_digits(p, second);
}

// "." and the first `fsp` of the six digits of micros (a DATETIME(3) shows 3); nothing when
// fsp is 0, six digits when it is more than 6.
inline char* put_fraction_text(char* p, uint32_t micros, unsigned fsp) {
    if (fsp == 0) return p;
    if (fsp > 6) fsp = 6;
    *p++ = '.';
    char six[6];
    put_fixed_digits(six, micros % 1000000, 6);
    std::memcpy(p, six, fsp);
    return p + fsp;
}

}  // namespace cdc
