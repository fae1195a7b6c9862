// How each MySQL column type maps onto Debezium's MySQL connector types (docs/DEBEZIUM.md has
// the table), with its defaults: time.precision.mode=adaptive_time_microseconds,
// bigint.unsigned.handling.mode=long, binary.handling.mode=bytes, decimal.handling.mode as set.
//
// The mapping is decided from the column's definition (model::ColumnDef), never from a value:
// the snapshot and the binlog decode some columns into different value kinds (a TIMESTAMP is a
// DATETIME in UTC in a snapshot row), and both must render alike.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "model/table_schema.h"

namespace cdc::format {

// decimal.handling.mode (debezium_json.h re-exports it in DebeziumOptions).
enum class DecimalHandling : uint8_t { Precise, String, Double };

// Debezium's rendering of one column: its Kafka Connect type and semantic (logical) type.
enum class DebeziumType : uint8_t {
    Boolean,         // BIT(1)                            boolean
    Int16,           // TINYINT, SMALLINT                 int16
    Int32,           // SMALLINT UNSIGNED, MEDIUMINT, INT int32
    Int64,           // INT UNSIGNED, BIGINT (UNSIGNED wraps, as "long" mode does)
    Float32,         // FLOAT                             float
    Float64,         // DOUBLE                            double
    DecimalBytes,    // DECIMAL, precise: org.apache.kafka.connect.data.Decimal (bytes)
    DecimalString,   // DECIMAL, string
    DecimalDouble,   // DECIMAL, double
    Date,            // io.debezium.time.Date: int32 days since the epoch
    MicroTime,       // io.debezium.time.MicroTime: int64 microseconds
    Timestamp,       // DATETIME(0-3): io.debezium.time.Timestamp, int64 epoch milliseconds
    MicroTimestamp,  // DATETIME(4-6): io.debezium.time.MicroTimestamp, int64 epoch microseconds
    ZonedTimestamp,  // TIMESTAMP: io.debezium.time.ZonedTimestamp, ISO-8601 string in UTC
    Year,            // io.debezium.time.Year: int32
    Bits,            // BIT(n>1): io.debezium.data.Bits, bytes little-endian
    String,          // CHAR, VARCHAR, TEXT
    Enum,            // io.debezium.data.Enum: string
    EnumSet,         // io.debezium.data.EnumSet: comma-joined string
    Json,            // io.debezium.data.Json: the document as a string
    Bytes,           // BINARY, VARBINARY, BLOB: bytes (base64 in JSON)
    Geometry,        // io.debezium.data.geometry.Geometry: struct {wkb, srid}
    Point,           // POINT: io.debezium.data.geometry.Point: struct {x, y, wkb, srid}
    FloatVector,     // MySQL 9 VECTOR: io.debezium.data.FloatVector, array of float
    Unknown,         // no type known (ColumnType::Null): rendered from the value alone
};

struct DebeziumColumn {
    DebeziumType type = DebeziumType::Unknown;
    bool optional = true;  // the column is nullable
    uint8_t fsp = 0;       // TIMESTAMP's fraction digits
    uint8_t bits = 0;      // BIT(n)
};

DebeziumColumn classify_debezium_column(const model::ColumnDef& column, DecimalHandling decimal);

// Appends the column's field schema as Kafka Connect's JsonConverter writes it, e.g.
//   {"type":"int64","optional":true,"name":"io.debezium.time.Timestamp","version":1,"field":"at"}
// (type, optional, name, version, doc, parameters, field: the converter's order).
void append_debezium_field_schema(const model::ColumnDef& column, const DebeziumColumn& mapped,
                                  std::string_view field_name, std::string& out);

}  // namespace cdc::format
