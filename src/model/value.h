// Value: one decoded column value, typed, not yet text. Only format/ turns it into JSON.
//
// Values are small and trivially copyable. Variable-length payloads (strings, blobs, binary
// decimals, JSON text) are views: either into the event bytes they were decoded from, or into
// a ValueArena owned by whoever decoded the row. A Value is valid as long as both are; the
// pipeline formats each row before it decodes the next one.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cdc::model {

enum class ValueKind : uint8_t {
    Absent,     // column not in this row image (binlog_row_image=MINIMAL/NOBLOB): not rendered
    Null,
    Int,        // i: TINYINT..BIGINT signed (INT24 already sign-extended)
    UInt,       // u: unsigned integer columns
    Float,      // f: FLOAT (rendered with float precision, shortest round-trip)
    Double,     // d
    Decimal,    // bytes: MySQL binary DECIMAL; precision, scale
    DecimalText,// bytes: decimal digits already as text ("-12.30"), e.g. from a snapshot
    Year,       // u: 0 or 1901..2155
    Bit,        // u: BIT(1..64) as an unsigned integer
    Date,       // date
    Time,       // time (may be negative, hours may exceed 24), fsp
    DateTime,   // datetime (no time zone), fsp
    Timestamp,  // timestamp: seconds since the epoch (UTC) + micros, fsp
    Text,       // bytes in the character set of `collation` (0 = unknown, assume UTF-8)
    Bytes,      // bytes: binary data (BINARY, VARBINARY, BLOB, GEOMETRY), rendered base64
    JsonText,   // bytes: a complete JSON document as UTF-8 text, embedded as is
    Enum,       // u: 1-based index (0 = the '' error value); bytes: its label if known
    Set,        // u: bitmask; labels: the SET's labels if known
    Vector,     // bytes: little-endian float32 array (MySQL 9 VECTOR)
};

struct Date {
    uint16_t year;
    uint8_t month;
    uint8_t day;
};

struct Time {
    bool negative;
    uint32_t hours;  // may exceed 24 (TIME range is -838:59:59..838:59:59)
    uint8_t minutes;
    uint8_t seconds;
    uint32_t micros;
};

struct DateTime {
    uint16_t year;
    uint8_t month;
    uint8_t day;
    uint8_t hour;
    uint8_t minute;
    uint8_t second;
    uint32_t micros;
};

struct Timestamp {
    int64_t seconds;  // since 1970-01-01 00:00:00 UTC; 0 is the zero timestamp
    uint32_t micros;
};

struct Value {
    ValueKind kind = ValueKind::Null;
    uint8_t fsp = 0;        // Time/DateTime/Timestamp: fractional digits to print (0-6)
    uint8_t precision = 0;  // Decimal
    uint8_t scale = 0;      // Decimal
    uint16_t collation = 0; // Text: MySQL collation id, 0 = unknown
    union {
        int64_t i;
        uint64_t u;
        float f;
        double d;
        Date date;
        Time time;
        DateTime datetime;
        Timestamp timestamp;
    };
    std::string_view bytes;
    const std::vector<std::string>* labels = nullptr;  // Set

    Value() : u(0) {}

    static Value null() { return Value{}; }
    static Value absent() { Value v; v.kind = ValueKind::Absent; return v; }
    static Value of_int(int64_t x) { Value v; v.kind = ValueKind::Int; v.i = x; return v; }
    static Value of_uint(uint64_t x) { Value v; v.kind = ValueKind::UInt; v.u = x; return v; }
    static Value of_text(std::string_view s, uint16_t collation) {
        Value v; v.kind = ValueKind::Text; v.bytes = s; v.collation = collation; return v;
    }
    static Value of_bytes(std::string_view s) { Value v; v.kind = ValueKind::Bytes; v.bytes = s; return v; }
};

}  // namespace cdc::model
