#include "binlog/json/json_opaque.h"

#include "binlog/json/json_decimal.h"
#include "binlog/json/json_scalar.h"
#include "common/json_writer.h"
#include "common/temporal_text.h"
#include "model/column_type.h"

namespace cdc::binlog::json {
namespace {

// A packed temporal value (my_time.cc): the absolute value holds the integer part in the
// high 40 bits and the microseconds in the low 24.
struct Packed {
    bool negative;
    uint64_t int_part;
    uint32_t frac;
};

// ".ffffff": MySQL prints six digits; a fraction past 999999 (24 bits hold up to 16777215, bad
// bytes) comes out in full, as MySQL's printf does.
char* put_micros(char* p, uint32_t frac) {
    *p++ = '.';
    return put_min_digits(p, frac, 6);
}

Packed unpack(int64_t v) {
    const bool negative = v < 0;
    // Negate in unsigned arithmetic: INT64_MIN has no positive counterpart.
    const uint64_t abs = negative ? ~static_cast<uint64_t>(v) + 1 : static_cast<uint64_t>(v);
    return {negative, abs >> 24, static_cast<uint32_t>(abs & 0xffffff)};
}

// TIME_from_longlong_time_packed + my_time_to_str(dec = 6).
void append_time(std::string& out, int64_t packed) {
    const Packed p = unpack(packed);
    const auto hms = p.int_part;
    char buf[kMaxTemporalText];
    char* end = buf;
    *end++ = '"';
    if (p.negative) *end++ = '-';
    end = put_clock_text(end, static_cast<uint32_t>((hms >> 12) % (1u << 10)),
                         static_cast<uint32_t>((hms >> 6) % (1u << 6)),
                         static_cast<uint32_t>(hms % (1u << 6)));
    end = put_micros(end, p.frac);
    *end++ = '"';
    out.append(buf, end);
}

// TIME_from_longlong_datetime_packed + my_datetime_to_str(dec = 6) / my_date_to_str.
void append_datetime(std::string& out, int64_t packed, bool date_only) {
    const Packed p = unpack(packed);
    const uint64_t ymd = p.int_part >> 17;
    const uint64_t ym = ymd >> 5;
    const uint64_t hms = p.int_part % (1u << 17);
    char buf[kMaxTemporalText];
    char* end = buf;
    *end++ = '"';
    end = put_date_text(end, static_cast<uint32_t>(ym / 13), static_cast<uint32_t>(ym % 13),
                        static_cast<uint32_t>(ymd % (1u << 5)));
    if (!date_only) {
        *end++ = ' ';
        end = put_clock_text(end, static_cast<uint32_t>(hms >> 12),
                             static_cast<uint32_t>((hms >> 6) % (1u << 6)),
                             static_cast<uint32_t>(hms % (1u << 6)));
        end = put_micros(end, p.frac);
    }
    *end++ = '"';
    out.append(buf, end);
}

Status append_temporal(model::ColumnType field_type, Bytes data, std::string& out) {
    if (data.size() != 8) {
        return malformed("packed temporal value of " + std::to_string(data.size()) +
                         " bytes, expected 8");
    }
    uint64_t raw = 0;
    for (size_t i = 0; i < 8; ++i) raw |= static_cast<uint64_t>(data[i]) << (8 * i);
    const auto packed = static_cast<int64_t>(raw);
    if (field_type == model::ColumnType::Time)
        append_time(out, packed);
    else
        append_datetime(out, packed, field_type == model::ColumnType::Date);
    return {};
}

Status append_decimal(Bytes data, std::string& out) {
    if (data.size() < 2) return malformed("decimal value without precision and scale");
    if (!append_binary_decimal(out, data.subspan(2), data[0], data[1])) {
        return malformed("invalid binary decimal (precision " + std::to_string(data[0]) +
                         ", scale " + std::to_string(data[1]) + ")");
    }
    return {};
}

}  // namespace

void append_mysql_base64(std::string& out, Bytes data, std::string_view newline) {
    static constexpr char kAlphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t line = 0;
    for (size_t i = 0; i < data.size(); i += 3) {
        if (line == 76) {
            out += newline;
            line = 0;
        }
        uint32_t group = static_cast<uint32_t>(data[i]) << 16;
        if (i + 1 < data.size()) group |= static_cast<uint32_t>(data[i + 1]) << 8;
        if (i + 2 < data.size()) group |= data[i + 2];
        out += kAlphabet[(group >> 18) & 0x3f];
        out += kAlphabet[(group >> 12) & 0x3f];
        out += i + 1 < data.size() ? kAlphabet[(group >> 6) & 0x3f] : '=';
        out += i + 2 < data.size() ? kAlphabet[group & 0x3f] : '=';
        line += 4;
    }
}

Status append_opaque(uint8_t field_type, Bytes data, std::string& out) {
    using model::ColumnType;
    switch (const auto type = static_cast<ColumnType>(field_type)) {
        case ColumnType::Date:
        case ColumnType::Time:
        case ColumnType::DateTime:
        case ColumnType::Timestamp: return append_temporal(type, data, out);
        case ColumnType::NewDecimal: return append_decimal(data, out);
        case ColumnType::VarString:
            // MySQL prints VAR_STRING opaque values as plain strings.
            append_json_string_lossy(out, as_string_view(data));
            return {};
        default:
            // Written straight into `out`: base64 needs no escaping except the newlines.
            out += "\"base64:type";
            append_json_uint(out, field_type);
            out += ':';
            append_mysql_base64(out, data, "\\n");
            out += '"';
            return {};
    }
}

}  // namespace cdc::binlog::json
