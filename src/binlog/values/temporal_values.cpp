// Temporal types (MySQL my_time.cc and log_event.cc), decoded into calendar fields; no time
// zone is applied here (TIMESTAMP stays seconds since the epoch).
//
//  DATE/NEWDATE  3 bytes LE: day 5 bits | month 4 bits | year (rest)
//  TIME          3 bytes LE signed: [-]HHMMSS as a decimal number
//  DATETIME      8 bytes LE: YYYYMMDDhhmmss as a decimal number
//  TIMESTAMP     4 bytes LE: seconds since the epoch
//  TIME2         3 bytes BE (int part + 0x800000) + (fsp+1)/2 fraction bytes BE, or for fsp 5-6
//                6 bytes BE of the whole packed value + 0x800000000000; negative values keep the
//                fraction in "reverse order" so the bytes sort (see decode_time2)
//  DATETIME2     5 bytes BE: 1 sign bit (set) | year*13+month 17 | day 5 | hour 5 | min 6 | sec 6,
//                then (fsp+1)/2 fraction bytes BE
//  TIMESTAMP2    4 bytes BE seconds, then (fsp+1)/2 fraction bytes BE
#include "binlog/values/value_decoders.h"

namespace cdc::binlog::values {
namespace {

constexpr uint32_t kMaxMicros = 999999;
constexpr int64_t kTimeIntOffset = 0x800000;
constexpr int64_t kTimeOffset = 0x800000000000;
constexpr int64_t kDateTimeIntOffset = 0x8000000000;
constexpr int64_t kFracUnit = int64_t{1} << 24;  // packed values are (int part << 24) + micros

bool check_fsp(ByteReader& r, const ColumnDef& col) {
    if (col.fsp <= 6) return true;
    fail_column(r, Errc::Malformed, col, "fractional precision " + std::to_string(col.fsp));
    return false;
}

// The unsigned big-endian fraction of DATETIME2/TIMESTAMP2, scaled to microseconds.
uint32_t read_fraction_be(ByteReader& r, uint8_t fsp) {
    switch (fsp) {
        case 1:
        case 2: return static_cast<uint32_t>(r.read_uint_be(1) * 10000);
        case 3:
        case 4: return static_cast<uint32_t>(r.read_uint_be(2) * 100);
        case 5:
        case 6: return static_cast<uint32_t>(r.read_uint_be(3));
        default: return 0;
    }
}

bool check_micros(ByteReader& r, const ColumnDef& col, uint64_t micros) {
    if (micros <= kMaxMicros) return true;
    fail_column(r, Errc::Malformed, col, "fraction of " + std::to_string(micros) + " microseconds");
    return false;
}

// TIME2 to MySQL's signed packed form: (hh<<12 | mm<<6 | ss) << 24 + micros, negated if < 0.
int64_t read_time2_packed(ByteReader& r, uint8_t fsp) {
    if (fsp >= 5) return static_cast<int64_t>(r.read_uint_be(6)) - kTimeOffset;
    int64_t int_part = static_cast<int64_t>(r.read_uint_be(3)) - kTimeIntOffset;
    if (fsp == 0) return int_part * kFracUnit;
    size_t frac_bytes = fsp <= 2 ? 1 : 2;
    auto frac = static_cast<int64_t>(r.read_uint_be(frac_bytes));
    if (int_part < 0 && frac != 0) {
        // A negative value with a fraction is stored as (int part - 1) and (2^bits - frac).
        int_part += 1;
        frac -= int64_t{1} << (8 * frac_bytes);
    }
    return int_part * kFracUnit + frac * (fsp <= 2 ? 10000 : 100);
}

}  // namespace

void decode_date(ByteReader& r, const ColumnDef&, Value& out) {
    uint32_t v = r.read_u24le();
    out.kind = model::ValueKind::Date;
    out.date = model::Date{static_cast<uint16_t>(v >> 9), static_cast<uint8_t>((v >> 5) & 0xf),
                           static_cast<uint8_t>(v & 0x1f)};
}

void decode_time(ByteReader& r, const ColumnDef&, Value& out) {
    uint32_t raw = r.read_u24le();
    int32_t v = static_cast<int32_t>(raw << 8) >> 8;  // sign-extend 24 bits
    uint32_t a = v < 0 ? static_cast<uint32_t>(-v) : static_cast<uint32_t>(v);
    out.kind = model::ValueKind::Time;
    out.time = model::Time{v < 0, a / 10000, static_cast<uint8_t>(a / 100 % 100),
                           static_cast<uint8_t>(a % 100), 0};
}

void decode_time2(ByteReader& r, const ColumnDef& col, Value& out) {
    if (!check_fsp(r, col)) return;
    int64_t packed = read_time2_packed(r, col.fsp);
    if (!r.ok()) return;
    uint64_t a = packed < 0 ? static_cast<uint64_t>(-packed) : static_cast<uint64_t>(packed);
    uint64_t hms = a >> 24;
    uint64_t micros = a % static_cast<uint64_t>(kFracUnit);
    if (!check_micros(r, col, micros)) return;
    out.kind = model::ValueKind::Time;
    out.fsp = col.fsp;
    out.time = model::Time{packed < 0, static_cast<uint32_t>((hms >> 12) % 1024),
                           static_cast<uint8_t>((hms >> 6) % 64), static_cast<uint8_t>(hms % 64),
                           static_cast<uint32_t>(micros)};
}

void decode_datetime(ByteReader& r, const ColumnDef& col, Value& out) {
    uint64_t v = r.read_u64le();
    uint64_t date = v / 1000000, time = v % 1000000;
    if (date / 10000 > 9999) {
        fail_column(r, Errc::Malformed, col, "value " + std::to_string(v));
        return;
    }
    out.kind = model::ValueKind::DateTime;
    out.datetime = model::DateTime{
        static_cast<uint16_t>(date / 10000), static_cast<uint8_t>(date / 100 % 100),
        static_cast<uint8_t>(date % 100),    static_cast<uint8_t>(time / 10000),
        static_cast<uint8_t>(time / 100 % 100), static_cast<uint8_t>(time % 100), 0};
}

void decode_datetime2(ByteReader& r, const ColumnDef& col, Value& out) {
    if (!check_fsp(r, col)) return;
    int64_t int_part = static_cast<int64_t>(r.read_uint_be(5)) - kDateTimeIntOffset;
    uint32_t micros = read_fraction_be(r, col.fsp);
    if (!r.ok()) return;
    if (int_part < 0) {
        fail_column(r, Errc::Malformed, col, "negative value");
        return;
    }
    if (!check_micros(r, col, micros)) return;
    auto ymd = static_cast<uint64_t>(int_part) >> 17;
    auto hms = static_cast<uint64_t>(int_part) & 0x1ffff;
    uint64_t year_month = ymd >> 5;
    out.kind = model::ValueKind::DateTime;
    out.fsp = col.fsp;
    out.datetime = model::DateTime{
        static_cast<uint16_t>(year_month / 13), static_cast<uint8_t>(year_month % 13),
        static_cast<uint8_t>(ymd & 0x1f),       static_cast<uint8_t>(hms >> 12),
        static_cast<uint8_t>((hms >> 6) & 0x3f), static_cast<uint8_t>(hms & 0x3f), micros};
}

void decode_timestamp(ByteReader& r, const ColumnDef&, Value& out) {
    out.kind = model::ValueKind::Timestamp;
    out.timestamp = model::Timestamp{static_cast<int64_t>(r.read_u32le()), 0};
}

void decode_timestamp2(ByteReader& r, const ColumnDef& col, Value& out) {
    if (!check_fsp(r, col)) return;
    auto seconds = static_cast<int64_t>(r.read_uint_be(4));
    uint32_t micros = read_fraction_be(r, col.fsp);
    if (!r.ok() || !check_micros(r, col, micros)) return;
    out.kind = model::ValueKind::Timestamp;
    out.fsp = col.fsp;
    out.timestamp = model::Timestamp{seconds, micros};
}

}  // namespace cdc::binlog::values
