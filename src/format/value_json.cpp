#include "format/value_json.h"

#include <bit>
#include <charconv>
#include <cmath>
#include <cstring>

#include "common/json_writer.h"
#include "format/base64.h"
#include "format/charset.h"
#include "format/decimal_text.h"
#include "format/temporal_text.h"
#include "model/collation.h"

namespace cdc::format {
namespace {

using model::Value;
using model::ValueKind;

void append_decimal(const Value& v, std::string& out) {
    // Bytes the decoder would have rejected: there is no number to show.
    if (!append_decimal_text(v.bytes, v.precision, v.scale, out, true)) out += "null";
}

// ENUM: the label ('' for the index-0 error value) when labels are known, else the index.
void append_enum(const Value& v, std::string& out) {
    if (v.labels != nullptr) {
        if (v.u == 0) {
            out += "\"\"";
            return;
        }
        if (v.u <= v.labels->size()) {
            append_text_json((*v.labels)[v.u - 1], v.collation, out);
            return;
        }
    } else if (!v.bytes.empty()) {
        append_text_json(v.bytes, v.collation, out);
        return;
    }
    append_json_uint(out, v.u);
}

// In these charsets a ',' is not the byte 0x2C: joining their bytes with one and converting the
// whole would misalign every later label ("ZΩ,a" in ucs2 came out as "ZΩⰀ�").
bool wide_charset(uint16_t collation) {
    std::string_view cs = model::charset_of_collation(collation);
    return cs == "ucs2" || cs == "utf16" || cs == "utf16le" || cs == "utf32";
}

// SET: labels of the set bits, lowest bit first, joined by ',' (as SELECT shows it).
void append_set(const Value& v, std::string& out) {
    if (v.labels == nullptr) {
        append_json_uint(out, v.u);
        return;
    }
    const auto& labels = *v.labels;
    if (wide_charset(v.collation)) {
        // Each label converted on its own; a JSON string's escapes are self-contained, so the
        // inner parts of the quoted labels join into one JSON string.
        thread_local std::string label;
        out += '"';
        bool first = true;
        for (uint64_t bits = v.u; bits != 0; bits &= bits - 1) {
            auto i = static_cast<size_t>(std::countr_zero(bits));
            if (i >= labels.size()) break;
            if (!first) out += ',';
            first = false;
            label.clear();
            append_text_json(labels[i], v.collation, label);
            out.append(label, 1, label.size() - 2);
        }
        out += '"';
        return;
    }
    thread_local std::string joined;
    joined.clear();
    for (uint64_t bits = v.u; bits != 0; bits &= bits - 1) {
        auto i = static_cast<size_t>(std::countr_zero(bits));
        if (i >= labels.size()) break;
        if (!joined.empty()) joined += ',';
        joined += labels[i];
    }
    append_text_json(joined, v.collation, out);
}

void append_vector(const Value& v, std::string& out) {
    out += '[';
    for (size_t i = 0; i + 4 <= v.bytes.size(); i += 4) {
        uint32_t bits;
        std::memcpy(&bits, v.bytes.data() + i, 4);
        if constexpr (std::endian::native == std::endian::big) bits = __builtin_bswap32(bits);
        if (i != 0) out += ',';
        append_json_float(out, std::bit_cast<float>(bits));
    }
    out += ']';
}

char* write_null(char* p) {
    std::memcpy(p, "null", 4);
    return p + 4;
}

// Shortest round-trip text, as append_json_double/append_json_float write it.
char* write_floating(char* p, float v) {
    if (!std::isfinite(v)) return write_null(p);
    return std::to_chars(p, p + 32, v).ptr;
}

char* write_floating(char* p, double v) {
    if (!std::isfinite(v)) return write_null(p);
    return write_double_text(p, v);
}

}  // namespace

char* write_bounded_value_json(const Value& v, char* p) {
    switch (v.kind) {
        case ValueKind::Int: return std::to_chars(p, p + 24, v.i).ptr;
        case ValueKind::UInt:
        case ValueKind::Year:
        case ValueKind::Bit: return std::to_chars(p, p + 24, v.u).ptr;
        case ValueKind::Float: return write_floating(p, v.f);
        case ValueKind::Double: return write_floating(p, v.d);
        case ValueKind::Decimal: {
            char* end = write_decimal_text(v.bytes, v.precision, v.scale, p, true);
            return end != nullptr ? end : write_null(p);
        }
        case ValueKind::DateTime: return write_datetime_text(v.datetime, v.fsp, p, true);
        case ValueKind::Timestamp: return write_timestamp_text(v.timestamp, v.fsp, p, true);
        case ValueKind::Null: return write_null(p);
        default: return nullptr;
    }
}

char* write_plain_value_json(const Value& v, char* p, size_t room) {
    std::string_view text;
    if (v.kind == ValueKind::Text) {
        text = v.bytes;
    } else if (v.kind == ValueKind::Enum && v.labels != nullptr && v.u >= 1 &&
               v.u <= v.labels->size()) {
        text = (*v.labels)[v.u - 1];  // as append_enum picks it
    } else if (v.kind == ValueKind::Enum && v.labels == nullptr && !v.bytes.empty()) {
        text = v.bytes;
    } else {
        return nullptr;
    }
    if (text.size() + 2 > room) return nullptr;
    return write_plain_text_json(text, v.collation, p);
}

void append_value_json(const Value& v, std::string& out) {
    switch (v.kind) {
        case ValueKind::Int: append_json_int(out, v.i); return;
        case ValueKind::UInt:
        case ValueKind::Year:
        case ValueKind::Bit: append_json_uint(out, v.u); return;
        case ValueKind::Float: append_json_float(out, v.f); return;
        case ValueKind::Double: append_json_double(out, v.d); return;
        case ValueKind::Decimal: append_decimal(v, out); return;
        case ValueKind::DecimalText:
            append_json_string(out, strip_decimal_zerofill(v.bytes));
            return;
        case ValueKind::Date: append_date_text(v.date, out, true); return;
        case ValueKind::Time: append_time_text(v.time, v.fsp, out, true); return;
        case ValueKind::DateTime: append_datetime_text(v.datetime, v.fsp, out, true); return;
        case ValueKind::Timestamp: append_timestamp_text(v.timestamp, v.fsp, out, true); return;
        case ValueKind::Text: append_text_json(v.bytes, v.collation, out); return;
        case ValueKind::Bytes:
            out += '"';
            append_base64(v.bytes, out);
            out += '"';
            return;
        case ValueKind::JsonText:
            if (v.bytes.empty())
                out += "null";  // never valid JSON text on its own
            else
                out += v.bytes;
            return;
        case ValueKind::Enum: append_enum(v, out); return;
        case ValueKind::Set: append_set(v, out); return;
        case ValueKind::Vector: append_vector(v, out); return;
        case ValueKind::Absent:  // callers skip absent columns; null keeps the JSON valid
        case ValueKind::Null: break;
    }
    out += "null";
}

}  // namespace cdc::format
