#include "snapshot/row_converter.h"

#include <cmath>
#include <cstdint>
#include <cstring>

#include "common/parse_number.h"
#include "mysql/text_forms.h"

namespace cdc::snapshot {
namespace {

bool digits(std::string_view s, size_t pos, size_t n, uint32_t& out) {
    if (pos + n > s.size()) return false;
    uint32_t v = 0;
    for (size_t i = pos; i < pos + n; ++i) {
        char c = s[i];
        if (c < '0' || c > '9') return false;
        v = v * 10 + static_cast<uint32_t>(c - '0');
    }
    out = v;
    return true;
}

// ".ffffff" at `pos` (1-6 digits) or nothing; micros scaled to 6 digits.
bool fraction(std::string_view s, size_t pos, uint32_t& micros) {
    micros = 0;
    if (pos == s.size()) return true;
    if (s[pos] != '.') return false;
    size_t n = s.size() - pos - 1;
    if (n < 1 || n > 6) return false;
    uint32_t v = 0;
    if (!digits(s, pos + 1, n, v)) return false;
    for (size_t i = n; i < 6; ++i) v *= 10;
    micros = v;
    return true;
}

// A binary value of `form` (ValueForm::Int64/UInt64/Double/Temporal) into `out`; false when
// the field is not of that form's size.
template <class T>
bool binary_value(std::string_view s, T& out) {
    if (s.size() != sizeof(T)) return false;
    std::memcpy(&out, s.data(), sizeof(T));
    return true;
}

// An integer field in either binary form (or text), as a signed / unsigned value; false when
// it does not parse or does not fit.
bool int_value(std::string_view s, mysql::ValueForm form, int64_t& out) {
    if (form == mysql::ValueForm::Int64) return binary_value(s, out);
    if (form == mysql::ValueForm::UInt64) {
        uint64_t u = 0;
        if (!binary_value(s, u) || u > static_cast<uint64_t>(INT64_MAX)) return false;
        out = static_cast<int64_t>(u);
        return true;
    }
    return form == mysql::ValueForm::Text && parse_number(s, out);
}

bool uint_value(std::string_view s, mysql::ValueForm form, uint64_t& out) {
    if (form == mysql::ValueForm::UInt64) return binary_value(s, out);
    if (form == mysql::ValueForm::Int64) {
        int64_t i = 0;
        if (!binary_value(s, i) || i < 0) return false;
        out = static_cast<uint64_t>(i);
        return true;
    }
    return form == mysql::ValueForm::Text && parse_number(s, out);
}

bool double_value(std::string_view s, mysql::ValueForm form, double& out) {
    if (form == mysql::ValueForm::Double) return binary_value(s, out);
    return form == mysql::ValueForm::Text && parse_number(s, out);
}

// The same bounds as the text forms' digit counts (a 4-digit year, 2-digit fields).
bool temporal_value(std::string_view s, mysql::TemporalParts& t) {
    return binary_value(s, t) && t.year <= 9999 && t.month <= 99 && t.day <= 99 && t.minute <= 99 &&
           t.second <= 99 && t.micros <= 999999;
}

bool date_of(std::string_view s, model::Date& out) {
    mysql::TemporalParts t;
    if (!temporal_value(s, t)) return false;
    out = model::Date{static_cast<uint16_t>(t.year), static_cast<uint8_t>(t.month),
                      static_cast<uint8_t>(t.day)};
    return true;
}

bool time_of(std::string_view s, model::Time& out) {
    mysql::TemporalParts t;
    if (!temporal_value(s, t) || t.hour > 9999) return false;
    out = model::Time{t.negative, t.hour, static_cast<uint8_t>(t.minute),
                      static_cast<uint8_t>(t.second), t.micros};
    return true;
}

bool datetime_of(std::string_view s, model::DateTime& out) {
    mysql::TemporalParts t;
    if (!temporal_value(s, t) || t.hour > 99) return false;
    out = model::DateTime{static_cast<uint16_t>(t.year),
                          static_cast<uint8_t>(t.month),
                          static_cast<uint8_t>(t.day),
                          static_cast<uint8_t>(t.hour),
                          static_cast<uint8_t>(t.minute),
                          static_cast<uint8_t>(t.second),
                          t.micros};
    return true;
}

// A binary key value (of a keyed table's last row) as the text a saved key holds: what the
// text protocol would have sent. Out-of-range or misshapen values give "", which no key
// literal accepts; convert() has reported them already.
std::string_view key_text(std::string_view s, mysql::ValueForm form, ColumnReading reading,
                          char* out) {
    size_t n = 0;
    switch (form) {
        case mysql::ValueForm::Int64: {
            int64_t i = 0;
            if (binary_value(s, i)) n = mysql::write_int_text(i, out);
            break;
        }
        case mysql::ValueForm::UInt64: {
            uint64_t u = 0;
            if (binary_value(s, u)) n = mysql::write_uint_text(u, out);
            break;
        }
        case mysql::ValueForm::Double: {
            double d = 0;
            if (binary_value(s, d)) n = mysql::write_double_text(d, out);
            break;
        }
        case mysql::ValueForm::Temporal: {
            mysql::TemporalParts t;
            if (!temporal_value(s, t)) break;
            // All six fraction digits: the literal is exact whatever the column's precision.
            if (reading == ColumnReading::Date) {
                n = mysql::write_date_text(t, out);
            } else if (reading == ColumnReading::Time) {
                n = mysql::write_time_text(t, 6, out);
            } else {
                n = mysql::write_datetime_text(t, 6, out);
            }
            break;
        }
        case mysql::ValueForm::Text: return s;
    }
    return {out, n};
}

}  // namespace

bool parse_date_text(std::string_view s, model::Date& out) {
    uint32_t y = 0, m = 0, d = 0;
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
    if (!digits(s, 0, 4, y) || !digits(s, 5, 2, m) || !digits(s, 8, 2, d)) return false;
    out = model::Date{static_cast<uint16_t>(y), static_cast<uint8_t>(m), static_cast<uint8_t>(d)};
    return true;
}

bool parse_datetime_text(std::string_view s, model::DateTime& out) {
    model::Date date{};
    uint32_t h = 0, mi = 0, se = 0, micros = 0;
    if (s.size() < 19 || s[10] != ' ' || s[13] != ':' || s[16] != ':') return false;
    if (!parse_date_text(s.substr(0, 10), date)) return false;
    if (!digits(s, 11, 2, h) || !digits(s, 14, 2, mi) || !digits(s, 17, 2, se)) return false;
    if (!fraction(s, 19, micros)) return false;
    out = model::DateTime{date.year,
                          date.month,
                          date.day,
                          static_cast<uint8_t>(h),
                          static_cast<uint8_t>(mi),
                          static_cast<uint8_t>(se),
                          micros};
    return true;
}

bool parse_time_text(std::string_view s, model::Time& out) {
    out = model::Time{};
    size_t p = 0;
    if (p < s.size() && s[p] == '-') {
        out.negative = true;
        ++p;
    }
    size_t colon = s.find(':', p);
    if (colon == std::string_view::npos || colon == p || colon - p > 4) return false;
    uint32_t h = 0, mi = 0, se = 0, micros = 0;
    if (!digits(s, p, colon - p, h)) return false;
    if (colon + 6 > s.size() || s[colon + 3] != ':') return false;
    if (!digits(s, colon + 1, 2, mi) || !digits(s, colon + 4, 2, se)) return false;
    if (!fraction(s, colon + 6, micros)) return false;
    out.hours = h;
    out.minutes = static_cast<uint8_t>(mi);
    out.seconds = static_cast<uint8_t>(se);
    out.micros = micros;
    return true;
}

Status RowConverter::start(const std::vector<mysql::ResultColumn>& columns) {
    size_t expected = layout_.columns.size();
    for (size_t k = 0; k < layout_.key.size(); ++k) {
        if (layout_.key_result_columns[k] != layout_.key[k]) ++expected;
    }
    if (columns.size() != expected) {
        return make_error(Errc::FailedPrecondition,
                          "the snapshot query of " + layout_.qualified() + " returned " +
                              std::to_string(columns.size()) + " columns, expected " +
                              std::to_string(expected) +
                              " (was the table altered during the snapshot?)");
    }
    collations_.resize(columns.size());
    forms_.resize(columns.size());
    for (size_t i = 0; i < columns.size(); ++i) {
        collations_[i] = columns[i].collation;
        forms_[i] = columns[i].form;
    }
    return {};
}

Status RowConverter::convert(const mysql::StreamedRow& row, model::RowImage& image) {
    const size_t n = layout_.columns.size();
    image.values.resize(n);
    for (size_t i = 0; i < n; ++i) {
        const SnapshotColumn& c = layout_.columns[i];
        model::Value& v = image.values[i];
        v = model::Value{};
        if (row.is_null(i)) continue;  // Value{} is NULL
        std::string_view s = row.field(i);
        const mysql::ValueForm form = forms_[i];
        bool ok = true;
        switch (c.reading) {
            case ColumnReading::Int:
                v.kind = model::ValueKind::Int;
                ok = int_value(s, form, v.i);
                break;
            case ColumnReading::UInt:
                v.kind = model::ValueKind::UInt;
                ok = uint_value(s, form, v.u);
                break;
            case ColumnReading::Year:
                v.kind = model::ValueKind::Year;
                ok = uint_value(s, form, v.u);
                break;
            case ColumnReading::Float: {
                // The exact float, widened to double by the server (and printed round-trip).
                double d = 0;
                ok = double_value(s, form, d);
                v.kind = model::ValueKind::Float;
                v.f = static_cast<float>(d);
                break;
            }
            case ColumnReading::Double:
                v.kind = model::ValueKind::Double;
                ok = double_value(s, form, v.d);
                break;
            case ColumnReading::Decimal:
                v.kind = model::ValueKind::DecimalText;
                v.bytes = s;
                v.precision = c.precision;
                v.scale = c.scale;
                ok = !s.empty();
                break;
            case ColumnReading::Bit: {
                v.kind = model::ValueKind::Bit;
                ok = s.size() <= 8;
                uint64_t x = 0;
                for (unsigned char b : s) x = (x << 8) | b;
                v.u = x;
                break;
            }
            case ColumnReading::Date:
                v.kind = model::ValueKind::Date;
                ok = form == mysql::ValueForm::Temporal ? date_of(s, v.date)
                                                        : parse_date_text(s, v.date);
                break;
            case ColumnReading::Time:
                v.kind = model::ValueKind::Time;
                v.fsp = c.fsp;
                ok = form == mysql::ValueForm::Temporal ? time_of(s, v.time)
                                                        : parse_time_text(s, v.time);
                break;
            case ColumnReading::DateTime:
            case ColumnReading::Timestamp:
                // A TIMESTAMP read in UTC renders exactly like the DATETIME of its parts.
                v.kind = model::ValueKind::DateTime;
                v.fsp = c.fsp;
                ok = form == mysql::ValueForm::Temporal ? datetime_of(s, v.datetime)
                                                        : parse_datetime_text(s, v.datetime);
                break;
            case ColumnReading::Text:
                if (collations_[i] == model::kBinaryCollation) {
                    v = model::Value::of_bytes(s);
                } else {
                    v = model::Value::of_text(s, collations_[i]);
                }
                break;
            case ColumnReading::Bytes: v = model::Value::of_bytes(s); break;
            case ColumnReading::Json:
                v.kind = model::ValueKind::JsonText;
                v.bytes = s;
                break;
            case ColumnReading::Vector:
                v.kind = model::ValueKind::Vector;
                v.bytes = s;
                ok = s.size() % 4 == 0;
                break;
        }
        if (!ok && form != mysql::ValueForm::Text) {
            return make_error(Errc::Malformed, "snapshot of " + layout_.qualified() + ": column " +
                                                   c.name + " has a binary value of " +
                                                   std::to_string(s.size()) +
                                                   " bytes that is out of range or of another "
                                                   "type than the table says");
        }
        if (!ok) {
            return make_error(Errc::Malformed, "snapshot of " + layout_.qualified() + ": column " +
                                                   c.name + " has a value that does not parse: \"" +
                                                   std::string(s.substr(0, 64)) + "\"");
        }
    }
    return {};
}

void RowConverter::key_of(const mysql::StreamedRow& row, std::vector<KeyValue>& key) const {
    key.resize(layout_.key.size());
    for (size_t k = 0; k < layout_.key.size(); ++k) {
        const SnapshotColumn& c = layout_.columns[layout_.key[k]];
        const uint32_t r = layout_.key_result_columns[k];
        KeyValue& out = key[k];
        std::string_view s = row.is_null(r) ? std::string_view{} : row.field(r);
        // A binary number or temporal as the literal text the key is saved and compared as.
        char text[mysql::kMaxTextForm];
        if (!row.is_null(r) && forms_[r] != mysql::ValueForm::Text) {
            s = key_text(s, forms_[r], c.reading, text);
        }
        out.charset.clear();
        if (r != layout_.key[k]) {  // ENUM/SET: its index
            out.kind = KeyValue::Kind::Number;
            out.text.assign(s);
            continue;
        }
        switch (c.reading) {
            case ColumnReading::Int:
            case ColumnReading::UInt:
            case ColumnReading::Year:
            case ColumnReading::Decimal:
                out.kind = KeyValue::Kind::Number;
                out.text.assign(s);
                break;
            case ColumnReading::Bit: {
                uint64_t x = 0;
                for (unsigned char b : s) x = (x << 8) | b;
                out.kind = KeyValue::Kind::Number;
                out.text = std::to_string(x);
                break;
            }
            case ColumnReading::Float:
            case ColumnReading::Double:
            case ColumnReading::Date:
            case ColumnReading::Time:
            case ColumnReading::DateTime:
            case ColumnReading::Timestamp:
                out.kind = KeyValue::Kind::Quoted;
                out.text.assign(s);
                break;
            case ColumnReading::Text:
                if (collations_[r] == model::kBinaryCollation) {
                    out.kind = KeyValue::Kind::Binary;
                } else {
                    out.kind = KeyValue::Kind::Text;
                    out.charset = c.charset;
                }
                out.text.assign(s);
                break;
            case ColumnReading::Bytes:
            case ColumnReading::Json:
            case ColumnReading::Vector:
                out.kind = KeyValue::Kind::Binary;
                out.text.assign(s);
                break;
        }
    }
}

}  // namespace cdc::snapshot
