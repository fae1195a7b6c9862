#include "format/temporal_text.h"

#include "common/temporal_text.h"

namespace cdc::format {
namespace {

constexpr int64_t kSecondsPerDay = 86400;

}  // namespace

// Consecutive rows' TIMESTAMPs mostly fall on the same day: keep the last day's date.
static model::Date cached_civil_from_days(int64_t days) {
    thread_local int64_t last_days = 0;
    thread_local model::Date last_date = civil_from_days(0);
    if (days != last_days) {
        last_date = civil_from_days(days);
        last_days = days;
    }
    return last_date;
}

model::Date civil_from_days(int64_t days) {
    // Howard Hinnant's days-from-civil inverse: eras of 400 years (146097 days) starting at
    // 0000-03-01, so the leap day is the last day of a "year".
    days += 719468;
    int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    auto doe = static_cast<uint32_t>(days - era * 146097);
    uint32_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    uint32_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    uint32_t mp = (5 * doy + 2) / 153;
    uint32_t day = doy - (153 * mp + 2) / 5 + 1;
    uint32_t month = mp < 10 ? mp + 3 : mp - 9;
    int64_t year = static_cast<int64_t>(yoe) + era * 400 + (month <= 2 ? 1 : 0);
    return model::Date{static_cast<uint16_t>(year), static_cast<uint8_t>(month),
                       static_cast<uint8_t>(day)};
}

void append_date_text(const model::Date& d, std::string& out, bool quoted) {
    char buf[16];
    char* p = buf;
    if (quoted) *p++ = '"';
    p = put_date_text(p, d.year, d.month, d.day);
    if (quoted) *p++ = '"';
    out.append(buf, p);
}

char* write_datetime_text(const model::DateTime& dt, unsigned fsp, char* p, bool quoted) {
    if (quoted) *p++ = '"';
    p = put_date_text(p, dt.year, dt.month, dt.day);
    *p++ = ' ';
    p = put_clock_text(p, dt.hour, dt.minute, dt.second);
    p = put_fraction_text(p, dt.micros, fsp);
    if (quoted) *p++ = '"';
    return p;
}

void append_datetime_text(const model::DateTime& dt, unsigned fsp, std::string& out, bool quoted) {
    char buf[kMaxTemporalText];
    out.append(buf, write_datetime_text(dt, fsp, buf, quoted));
}

char* write_timestamp_text(const model::Timestamp& ts, unsigned fsp, char* p, bool quoted) {
    model::DateTime dt{};
    dt.micros = ts.micros;
    if (ts.seconds != 0) {
        int64_t days = ts.seconds / kSecondsPerDay;
        int64_t rem = ts.seconds % kSecondsPerDay;
        if (rem < 0) {
            rem += kSecondsPerDay;
            --days;
        }
        model::Date d = cached_civil_from_days(days);
        dt = model::DateTime{d.year,
                             d.month,
                             d.day,
                             static_cast<uint8_t>(rem / 3600),
                             static_cast<uint8_t>(rem / 60 % 60),
                             static_cast<uint8_t>(rem % 60),
                             ts.micros};
    }
    return write_datetime_text(dt, fsp, p, quoted);
}

void append_timestamp_text(const model::Timestamp& ts, unsigned fsp, std::string& out,
                           bool quoted) {
    char buf[kMaxTemporalText];
    out.append(buf, write_timestamp_text(ts, fsp, buf, quoted));
}

void append_time_text(const model::Time& t, unsigned fsp, std::string& out, bool quoted) {
    char buf[kMaxTemporalText];
    char* p = buf;
    if (quoted) *p++ = '"';
    if (t.negative) *p++ = '-';
    p = put_clock_text(p, t.hours, t.minutes, t.seconds);
    p = put_fraction_text(p, t.micros, fsp);
    if (quoted) *p++ = '"';
    out.append(buf, p);
}

}  // namespace cdc::format
