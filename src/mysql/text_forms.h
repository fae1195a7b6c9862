// The text protocol's forms of values that the binary protocol sends as numbers: what the
// server would have printed. The snapshot saves a chunk's last key in these forms (the literal
// a restart's query compares with), whichever protocol read the row.
//
//   char buf[kMaxTextForm];
//   size_t n = write_datetime_text({2024, 1, 2, 3, 4, 5, 600}, 6, buf);  // "2024-01-02
//   03:04:05.000600"
#pragma once

#include <cstddef>
#include <cstdint>

namespace cdc::mysql {

// Room enough for any form written here (a double's shortest form, a TIME with micros).
inline constexpr size_t kMaxTextForm = 40;

// A DATE, TIME, DATETIME or TIMESTAMP by its parts: also how stream_prepared hands temporals
// over (ValueForm::Temporal).
struct TemporalParts {
    uint32_t year = 0, month = 0, day = 0;
    uint32_t hour = 0, minute = 0, second = 0;  // a TIME's hour counts its days too (0..838)
    uint32_t micros = 0;
    bool negative = false;  // TIME only
};

// "YYYY-MM-DD".
size_t write_date_text(const TemporalParts& t, char* out);
// "YYYY-MM-DD HH:MM:SS" and, with `decimals` > 0, "." and that many digits of the micros
// (a DATETIME(3) prints 3); more than 6 prints 6.
size_t write_datetime_text(const TemporalParts& t, unsigned decimals, char* out);
// "[-]HH:MM:SS[.fff...]", the hours at least two digits.
size_t write_time_text(const TemporalParts& t, unsigned decimals, char* out);
// Integers in decimal; a double in the shortest form that reads back as exactly that double
// (a FLOAT arrives widened to a double: ValueForm::Double).
size_t write_int_text(int64_t v, char* out);
size_t write_uint_text(uint64_t v, char* out);
size_t write_double_text(double v, char* out);

}  // namespace cdc::mysql
