#include "mysql/text_forms.h"

#include <charconv>

#include "common/temporal_text.h"

namespace cdc::mysql {

size_t write_date_text(const TemporalParts& t, char* out) {
    return static_cast<size_t>(put_date_text(out, t.year, t.month, t.day) - out);
}

size_t write_datetime_text(const TemporalParts& t, unsigned decimals, char* out) {
    char* p = put_date_text(out, t.year, t.month, t.day);
    *p++ = ' ';
    p = put_clock_text(p, t.hour, t.minute, t.second);
    return static_cast<size_t>(put_fraction_text(p, t.micros, decimals) - out);
}

size_t write_time_text(const TemporalParts& t, unsigned decimals, char* out) {
    char* p = out;
    if (t.negative) *p++ = '-';
    p = put_clock_text(p, t.hour, t.minute, t.second);
    return static_cast<size_t>(put_fraction_text(p, t.micros, decimals) - out);
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
