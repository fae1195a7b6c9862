// One column value in Debezium's JSON (JsonConverter's rendering of the connector's value), by
// the column's DebeziumType (debezium_types.h):
//
//   Boolean true/false; integers and Year numbers (BIGINT UNSIGNED above 2^63-1 wraps to a
//   negative number, as "long" mode does); Float32/64 shortest round-trip numbers;
//   Date days since 1970-01-01; MicroTime signed microseconds; Timestamp epoch milliseconds;
//   MicroTimestamp epoch microseconds (DATETIME read as UTC); ZonedTimestamp
//   "2024-01-31T13:45:00.120Z" (exactly the column's fraction digits, none at 0);
//   Bits base64 of ceil(n/8) little-endian bytes; Decimal per mode (debezium_decimal.h);
//   String/Enum/EnumSet UTF-8 strings (charset.h); Json the document as a JSON string;
//   Bytes base64; Geometry {"wkb":base64,"srid":n|null}; FloatVector [numbers].
//
// A zero date, DATETIME or TIMESTAMP ('0000-00-00', or a zero month or day) is null in a
// nullable column, else the epoch (0, or "1970-01-01T00:00:00Z"): Debezium's documented choice.
// NULL and Absent values are null.
#pragma once

#include <string>

#include "format/debezium_types.h"
#include "model/value.h"

namespace cdc::format {

// The most write_bounded_debezium_value writes.
inline constexpr size_t kMaxBoundedDebeziumValue = 96;

// For the values whose JSON has a small bound (null, booleans, numbers, temporals, decimals,
// BIT): writes it at p and returns its end. Returns nullptr, writing nothing, otherwise.
char* write_bounded_debezium_value(const DebeziumColumn& column, const model::Value& v, char* p);

// Appends any value's JSON.
void append_debezium_value(const DebeziumColumn& column, const model::Value& v, std::string& out);

// Days from 1970-01-01 to a proleptic Gregorian date (negative before it).
int64_t days_from_civil(int64_t year, unsigned month, unsigned day);

}  // namespace cdc::format
