// Temporal values as MySQL's text protocol shows them (time_zone '+00:00'):
//
//   DATE       "2024-01-31"            zero date "0000-00-00"
//   DATETIME   "2024-01-31 13:45:00.120" with exactly fsp fraction digits
//   TIMESTAMP  the same, from seconds since the epoch in UTC; 0 is "0000-00-00 00:00:00"
//   TIME       "-838:59:59", "00:00:00.5": at least two hour digits, sign when negative
//
// Plain text, no quotes; no allocation beyond `out` growing, no locale, no time zone database.
// The digits are common/temporal_text.h's; this file adds the model's types, quoting, and the
// TIMESTAMP's calendar date.
#pragma once

#include <string>

#include "common/temporal_text.h"
#include "model/value.h"

namespace cdc::format {

// Each appends the text, wrapped in double quotes when `quoted` (the JSON form: one append).
void append_date_text(const model::Date& d, std::string& out, bool quoted = false);
void append_datetime_text(const model::DateTime& dt, unsigned fsp, std::string& out,
                          bool quoted = false);
void append_timestamp_text(const model::Timestamp& ts, unsigned fsp, std::string& out,
                           bool quoted = false);
// The same DATETIME/TIMESTAMP text written at p (room for kMaxTemporalText); returns its end.
// For callers that batch their output.
char* write_datetime_text(const model::DateTime& dt, unsigned fsp, char* p, bool quoted);
char* write_timestamp_text(const model::Timestamp& ts, unsigned fsp, char* p, bool quoted);
void append_time_text(const model::Time& t, unsigned fsp, std::string& out, bool quoted = false);

// Days since 1970-01-01 to the proleptic Gregorian calendar date (exposed for tests).
model::Date civil_from_days(int64_t days);

}  // namespace cdc::format
