#include "format/debezium_values.h"

#include <charconv>
#include <cmath>
#include <cstring>

#include "common/json_writer.h"
#include "common/temporal_text.h"
#include "format/base64.h"
#include "format/charset.h"
#include "format/debezium_decimal.h"
#include "format/decimal_text.h"
#include "format/temporal_text.h"
#include "format/value_json.h"

namespace cdc::format {
namespace {

using model::Value;
using model::ValueKind;

char* put(char* p, std::string_view s) {
    std::memcpy(p, s.data(), s.size());
    return p + s.size();
}

char* put_int(char* p, int64_t v) { return std::to_chars(p, p + 24, v).ptr; }

// A column without a known type (no TABLE_MAP types, e.g. a hand-built schema) is rendered as
// Debezium would render the value's own kind.
DebeziumType type_for(const DebeziumColumn& c, const Value& v) {
    if (c.type != DebeziumType::Unknown) return c.type;
    switch (v.kind) {
        case ValueKind::Int:
        case ValueKind::UInt: return DebeziumType::Int64;
        case ValueKind::Float: return DebeziumType::Float32;
        case ValueKind::Double: return DebeziumType::Float64;
        case ValueKind::Decimal:
        case ValueKind::DecimalText: return DebeziumType::DecimalString;
        case ValueKind::Year: return DebeziumType::Year;
        case ValueKind::Bit: return DebeziumType::Bits;
        case ValueKind::Date: return DebeziumType::Date;
        case ValueKind::Time: return DebeziumType::MicroTime;
        case ValueKind::DateTime: return DebeziumType::MicroTimestamp;
        case ValueKind::Timestamp: return DebeziumType::ZonedTimestamp;
        case ValueKind::Bytes: return DebeziumType::Bytes;
        case ValueKind::JsonText: return DebeziumType::Json;
        case ValueKind::Enum: return DebeziumType::Enum;
        case ValueKind::Set: return DebeziumType::EnumSet;
        case ValueKind::Vector: return DebeziumType::FloatVector;
        default: return DebeziumType::String;
    }
}

// Integer-like kinds as a signed 64-bit number (UInt wraps: bigint.unsigned.handling.mode=long).
bool integer_of(const Value& v, int64_t& out) {
    switch (v.kind) {
        case ValueKind::Int: out = v.i; return true;
        case ValueKind::UInt:
        case ValueKind::Year:
        case ValueKind::Bit:
        case ValueKind::Enum:
        case ValueKind::Set: out = static_cast<int64_t>(v.u); return true;
        default: return false;
    }
}

char* write_float(char* p, float f) {
    if (!std::isfinite(f)) return put(p, "null");
    return std::to_chars(p, p + 32, f).ptr;
}

char* write_double(char* p, double d) {
    if (!std::isfinite(d)) return put(p, "null");
    return write_double_text(p, d);
}

// The zero value of a date-like column: null when nullable, else the epoch (as Debezium does).
char* write_zero(const DebeziumColumn& c, DebeziumType t, char* p) {
    if (c.optional) return put(p, "null");
    if (t == DebeziumType::ZonedTimestamp) return put(p, "\"1970-01-01T00:00:00Z\"");
    return put(p, "0");
}

bool zero_date(unsigned year, unsigned month, unsigned day) {
    return month == 0 || day == 0 || (year == 0 && month == 0 && day == 0);
}

struct Civil {
    int64_t days;     // since 1970-01-01
    int64_t seconds;  // of the day
    uint32_t micros;
    bool zero;
};

// A DATETIME/TIMESTAMP value as days + time of day (TIMESTAMPs are UTC; DATETIMEs are read as
// UTC, as Debezium does).
bool civil_of(const Value& v, Civil& out) {
    if (v.kind == ValueKind::DateTime) {
        const model::DateTime& dt = v.datetime;
        out.zero = zero_date(dt.year, dt.month, dt.day);
        out.days = out.zero ? 0 : days_from_civil(dt.year, dt.month, dt.day);
        out.seconds = int64_t{dt.hour} * 3600 + dt.minute * 60 + dt.second;
        out.micros = dt.micros;
        return true;
    }
    if (v.kind == ValueKind::Timestamp) {
        out.zero = v.timestamp.seconds == 0 && v.timestamp.micros == 0;
        int64_t s = v.timestamp.seconds;
        out.days = s >= 0 ? s / 86400 : -((-s + 86399) / 86400);
        out.seconds = s - out.days * 86400;
        out.micros = v.timestamp.micros;
        return true;
    }
    if (v.kind == ValueKind::Date) {
        out.zero = zero_date(v.date.year, v.date.month, v.date.day);
        out.days = out.zero ? 0 : days_from_civil(v.date.year, v.date.month, v.date.day);
        out.seconds = 0;
        out.micros = 0;
        return true;
    }
    return false;
}

// "2024-01-31T13:45:00.120Z": ISO-8601 in UTC with exactly `fsp` fraction digits.
char* write_zoned(const Civil& t, unsigned fsp, char* p) {
    model::Date d = civil_from_days(t.days);
    *p++ = '"';
    p = put_date_text(p, d.year, d.month, d.day);
    *p++ = 'T';
    auto s = static_cast<uint32_t>(t.seconds);
    p = put_clock_text(p, s / 3600, s / 60 % 60, s % 60);
    p = put_fraction_text(p, t.micros, fsp);
    *p++ = 'Z';
    *p++ = '"';
    return p;
}

// DECIMAL's text: the binlog's binary form through decimal_text.h, a snapshot's as read.
bool decimal_text_of(const Value& v, char* buf, std::string_view& text) {
    if (v.kind == ValueKind::Decimal) {
        char* end = write_decimal_text(v.bytes, v.precision, v.scale, buf, false);
        if (end == nullptr) return false;
        text = {buf, static_cast<size_t>(end - buf)};
        return true;
    }
    if (v.kind == ValueKind::DecimalText) {
        text = strip_decimal_zerofill(v.bytes);
        return true;
    }
    return false;
}

// Base64 of up to 48 bytes, quoted.
char* write_base64(const uint8_t* bytes, size_t n, char* p) {
    static constexpr char kAlphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    *p++ = '"';
    size_t i = 0;
    for (; i + 3 <= n; i += 3) {
        uint32_t v = (uint32_t{bytes[i]} << 16) | (uint32_t{bytes[i + 1]} << 8) | bytes[i + 2];
        *p++ = kAlphabet[v >> 18];
        *p++ = kAlphabet[(v >> 12) & 63];
        *p++ = kAlphabet[(v >> 6) & 63];
        *p++ = kAlphabet[v & 63];
    }
    if (size_t rest = n - i; rest != 0) {
        uint32_t v = uint32_t{bytes[i]} << 16;
        if (rest == 2) v |= uint32_t{bytes[i + 1]} << 8;
        *p++ = kAlphabet[v >> 18];
        *p++ = kAlphabet[(v >> 12) & 63];
        *p++ = rest == 2 ? kAlphabet[(v >> 6) & 63] : '=';
        *p++ = '=';
    }
    *p++ = '"';
    return p;
}

char* write_decimal(DebeziumType t, const Value& v, char* p) {
    char buf[kMaxDecimalText];
    std::string_view text;
    if (!decimal_text_of(v, buf, text)) return put(p, "null");
    switch (t) {
        case DebeziumType::DecimalString:
            if (text.size() + 2 > kMaxBoundedDebeziumValue) return nullptr;
            *p++ = '"';
            p = put(p, text);
            *p++ = '"';
            return p;
        case DebeziumType::DecimalDouble: {
            double d = 0;
            if (!decimal_to_double(text, d)) return put(p, "null");
            return write_double(p, d);
        }
        default: {
            uint8_t bytes[kMaxUnscaledBytes];
            size_t n = decimal_unscaled_bytes(text, v.scale, bytes);
            if (n == 0) return put(p, "null");
            return write_base64(bytes, n, p);
        }
    }
}

// BIT(n): ceil(n/8) bytes, least significant first.
char* write_bits(const DebeziumColumn& c, uint64_t bits, char* p) {
    size_t n = c.bits == 0 ? 8 : (c.bits + 7u) / 8u;
    if (n > 8) n = 8;
    uint8_t bytes[8];
    for (size_t i = 0; i < n; ++i) bytes[i] = static_cast<uint8_t>(bits >> (8 * i));
    return write_base64(bytes, n, p);
}

// A WKB double at `p` in the WKB's byte order (its first byte: 1 little-endian, 0 big).
double wkb_double(const uint8_t* p, bool little) {
    uint64_t bits = 0;
    for (int i = 0; i < 8; ++i) bits |= uint64_t{p[little ? i : 7 - i]} << (8 * i);
    double d;
    std::memcpy(&d, &bits, sizeof d);
    return d;
}

// MySQL's geometry is a 4-byte little-endian SRID, then the WKB. Geometry: {"wkb","srid"};
// Point adds the coordinates first: {"x","y","wkb","srid"} (a POINT's WKB is 21 bytes).
void append_geometry(const Value& v, bool point, std::string& out) {
    if (v.bytes.size() < 4 || (point && v.bytes.size() != 4 + 21)) {
        out += "null";
        return;
    }
    const auto* b = reinterpret_cast<const uint8_t*>(v.bytes.data());
    uint32_t srid =
        uint32_t{b[0]} | (uint32_t{b[1]} << 8) | (uint32_t{b[2]} << 16) | (uint32_t{b[3]} << 24);
    if (point) {
        const uint8_t* wkb = b + 4;
        const bool little = wkb[0] == 1;
        char buf[2 * kMaxDoubleText + 16];
        char* p = buf;
        std::memcpy(p, "{\"x\":", 5);
        p = write_double(p + 5, wkb_double(wkb + 5, little));
        std::memcpy(p, ",\"y\":", 5);
        p = write_double(p + 5, wkb_double(wkb + 13, little));
        out.append(buf, p);
        out += ",\"wkb\":\"";
    } else {
        out += "{\"wkb\":\"";
    }
    append_base64(v.bytes.substr(4), out);
    out += "\",\"srid\":";
    if (srid == 0)
        out += "null";  // Debezium: an unset SRID is null
    else
        append_json_int(out, static_cast<int32_t>(srid));
    out += '}';
}

}  // namespace

int64_t days_from_civil(int64_t year, unsigned month, unsigned day) {
    // Howard Hinnant's days_from_civil.
    year -= month <= 2;
    const int64_t era = (year >= 0 ? year : year - 399) / 400;
    const auto yoe = static_cast<unsigned>(year - era * 400);
    const unsigned doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

char* write_bounded_debezium_value(const DebeziumColumn& c, const Value& v, char* p) {
    if (v.kind == ValueKind::Null || v.kind == ValueKind::Absent) return put(p, "null");
    const DebeziumType t = type_for(c, v);
    int64_t n = 0;
    switch (t) {
        case DebeziumType::Boolean:
            if (!integer_of(v, n)) return nullptr;
            return put(p, n != 0 ? "true" : "false");
        case DebeziumType::Int16:
        case DebeziumType::Int32:
        case DebeziumType::Int64:
        case DebeziumType::Year:
            if (!integer_of(v, n)) return nullptr;
            return put_int(p, n);
        case DebeziumType::Float32:
        case DebeziumType::Float64:
            if (v.kind == ValueKind::Float) return write_float(p, v.f);
            if (v.kind == ValueKind::Double) return write_double(p, v.d);
            return nullptr;
        case DebeziumType::DecimalBytes:
        case DebeziumType::DecimalString:
        case DebeziumType::DecimalDouble:
            if (v.kind != ValueKind::Decimal && v.kind != ValueKind::DecimalText) return nullptr;
            return write_decimal(t, v, p);
        case DebeziumType::MicroTime: {
            if (v.kind != ValueKind::Time) return nullptr;
            const model::Time& tm = v.time;
            int64_t us =
                (int64_t{tm.hours} * 3600 + tm.minutes * 60 + tm.seconds) * 1000000 + tm.micros;
            return put_int(p, tm.negative ? -us : us);
        }
        case DebeziumType::Date:
        case DebeziumType::Timestamp:
        case DebeziumType::MicroTimestamp:
        case DebeziumType::ZonedTimestamp: {
            Civil civil{};
            if (!civil_of(v, civil)) return nullptr;
            if (civil.zero) return write_zero(c, t, p);
            if (t == DebeziumType::Date) return put_int(p, civil.days);
            if (t == DebeziumType::ZonedTimestamp) {
                unsigned fsp = c.type == DebeziumType::Unknown ? v.fsp : c.fsp;
                return write_zoned(civil, fsp, p);
            }
            int64_t seconds = civil.days * 86400 + civil.seconds;
            if (t == DebeziumType::Timestamp)
                return put_int(p, seconds * 1000 + civil.micros / 1000);
            return put_int(p, seconds * 1000000 + civil.micros);
        }
        case DebeziumType::Bits:
            if (!integer_of(v, n)) return nullptr;
            return write_bits(c, static_cast<uint64_t>(n), p);
        default: return nullptr;
    }
}

void append_debezium_value(const DebeziumColumn& c, const Value& v, std::string& out) {
    char buf[kMaxBoundedDebeziumValue];
    if (char* end = write_bounded_debezium_value(c, v, buf)) {
        out.append(buf, end);
        return;
    }
    switch (type_for(c, v)) {
        case DebeziumType::Json:
            if (v.kind == ValueKind::JsonText || v.kind == ValueKind::Text) {
                // The document as a string. An empty one (never valid JSON): null, or "{}" in a
                // NOT NULL column, as Debezium renders it.
                if (v.bytes.empty())
                    out += c.optional ? "null" : "\"{}\"";
                else
                    append_json_string(out, v.bytes);
                return;
            }
            break;
        case DebeziumType::Geometry:
        case DebeziumType::Point:
            if (v.kind == ValueKind::Bytes) {
                append_geometry(v, c.type == DebeziumType::Point, out);
                return;
            }
            break;
        default: break;
    }
    // Strings, ENUM/SET labels, bytes (base64), vectors and anything unexpected: the seed
    // format's rendering of the value, which is already Debezium's for these kinds.
    append_value_json(v, out);
}

}  // namespace cdc::format
