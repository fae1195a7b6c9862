#include "mysql/text_forms.h"

#include <charconv>

namespace cdc::mysql {
namespace {

// `v` as exactly `width` digits (its lowest ones), zero-padded.
char* put_digits(uint32_t v, int width, char* out) {
    for (int i = width - 1; i >= 0; --i) {
        out[i] = static_cast<char>('0' + v % 10);
        v /= 10;
    }
    return out + width;
}

char* put_clock(const TemporalParts& t, uint32_t hour, unsigned decimals, char* p) {
    if (hour >= 100) {
        p = std::to_chars(p, p + 10, hour).ptr;
    } else {
        p = put_digits(hour, 2, p);
    }
    *p++ = ':';
    p = put_digits(t.minute, 2, p);
    *p++ = ':';
    p = put_digits(t.second, 2, p);
    if (decimals > 0) {
        const int shown = decimals > 6 ? 6 : static_cast<int>(decimals);
        uint32_t micros = t.micros % 1000000;
        for (int i = shown; i < 6; ++i) micros /= 10;
        *p++ = '.';
        p = put_digits(micros, shown, p);
    }
    return p;
}

}  // namespace

size_t write_date_text(const TemporalParts& t, char* out) {
    char* p = put_digits(t.year, 4, out);
    *p++ = '-';
    p = put_digits(t.month, 2, p);
    *p++ = '-';
    p = put_digits(t.day, 2, p);
    return static_cast<size_t>(p - out);
}

size_t write_datetime_text(const TemporalParts& t, unsigned decimals, char* out) {
    char* p = out + write_date_text(t, out);
    *p++ = ' ';
    p = put_clock(t, t.hour, decimals, p);
    return static_cast<size_t>(p - out);
}

size_t write_time_text(const TemporalParts& t, unsigned decimals, char* out) {
    char* p = out;
    if (t.negative) *p++ = '-';
    p = put_clock(t, t.hour, decimals, p);
    return static_cast<size_t>(p - out);
}

size_t write_int_text(int64_t v, char* out) {
    return static_cast<size_t>(std::to_chars(out, out + kMaxTextForm, v).ptr - out);
}

size_t write_uint_text(uint64_t v, char* out) {
    return static_cast<size_t>(std::to_chars(out, out + kMaxTextForm, v).ptr - out);
}

size_t write_double_text(double v, char* out) {
    return static_cast<size_t>(std::to_chars(out, out + kMaxTextForm, v).ptr - out);
}

}  // namespace cdc::mysql
