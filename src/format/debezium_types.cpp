#include "format/debezium_types.h"

#include "common/json_writer.h"

namespace cdc::format {
namespace {

using model::ColumnType;

bool binary_collation(const model::ColumnDef& c) { return c.collation == model::kBinaryCollation; }

DebeziumType decimal_type(DecimalHandling decimal) {
    switch (decimal) {
        case DecimalHandling::String: return DebeziumType::DecimalString;
        case DecimalHandling::Double: return DebeziumType::DecimalDouble;
        case DecimalHandling::Precise: break;
    }
    return DebeziumType::DecimalBytes;
}

DebeziumType type_of(const model::ColumnDef& c, DecimalHandling decimal) {
    switch (c.type) {
        case ColumnType::Tiny: return DebeziumType::Int16;
        case ColumnType::Short: return c.is_unsigned ? DebeziumType::Int32 : DebeziumType::Int16;
        case ColumnType::Int24: return DebeziumType::Int32;
        case ColumnType::Long: return c.is_unsigned ? DebeziumType::Int64 : DebeziumType::Int32;
        case ColumnType::LongLong: return DebeziumType::Int64;
        case ColumnType::Float: return DebeziumType::Float32;
        case ColumnType::Double: return DebeziumType::Float64;
        case ColumnType::Decimal:
        case ColumnType::NewDecimal: return decimal_type(decimal);
        case ColumnType::Date:
        case ColumnType::NewDate: return DebeziumType::Date;
        case ColumnType::Time:
        case ColumnType::Time2: return DebeziumType::MicroTime;
        case ColumnType::DateTime:
        case ColumnType::DateTime2:
            return c.fsp <= 3 ? DebeziumType::Timestamp : DebeziumType::MicroTimestamp;
        case ColumnType::Timestamp:
        case ColumnType::Timestamp2: return DebeziumType::ZonedTimestamp;
        case ColumnType::Year: return DebeziumType::Year;
        case ColumnType::Bit: return c.bits == 1 ? DebeziumType::Boolean : DebeziumType::Bits;
        case ColumnType::Bool: return DebeziumType::Boolean;
        case ColumnType::VarChar:
        case ColumnType::VarString:
        case ColumnType::String:
        case ColumnType::TinyBlob:
        case ColumnType::MediumBlob:
        case ColumnType::LongBlob:
        case ColumnType::Blob:
            return binary_collation(c) ? DebeziumType::Bytes : DebeziumType::String;
        case ColumnType::Enum: return DebeziumType::Enum;
        case ColumnType::Set: return DebeziumType::EnumSet;
        case ColumnType::Json: return DebeziumType::Json;
        case ColumnType::Geometry:
            // MySQL's geometry type 1 is POINT (optional metadata GEOMETRY_TYPE).
            return c.geometry_type == 1 ? DebeziumType::Point : DebeziumType::Geometry;
        case ColumnType::Vector: return DebeziumType::FloatVector;
        case ColumnType::Null:
        case ColumnType::TypedArray:
        case ColumnType::Invalid: break;
    }
    return DebeziumType::Unknown;
}

// Kafka Connect's type names as JsonConverter writes them.
std::string_view connect_type(DebeziumType t) {
    switch (t) {
        case DebeziumType::Boolean: return "boolean";
        case DebeziumType::Int16: return "int16";
        case DebeziumType::Int32:
        case DebeziumType::Date:
        case DebeziumType::Year: return "int32";
        case DebeziumType::Int64:
        case DebeziumType::MicroTime:
        case DebeziumType::Timestamp:
        case DebeziumType::MicroTimestamp: return "int64";
        case DebeziumType::Float32: return "float";
        case DebeziumType::Float64:
        case DebeziumType::DecimalDouble: return "double";
        case DebeziumType::DecimalBytes:
        case DebeziumType::Bits:
        case DebeziumType::Bytes: return "bytes";
        case DebeziumType::Geometry:
        case DebeziumType::Point: return "struct";
        case DebeziumType::FloatVector: return "array";
        case DebeziumType::DecimalString:
        case DebeziumType::ZonedTimestamp:
        case DebeziumType::String:
        case DebeziumType::Enum:
        case DebeziumType::EnumSet:
        case DebeziumType::Json:
        case DebeziumType::Unknown: break;
    }
    return "string";
}

// The semantic type's schema name ("" for none); all of them are at version 1.
std::string_view logical_name(DebeziumType t) {
    switch (t) {
        case DebeziumType::DecimalBytes: return "org.apache.kafka.connect.data.Decimal";
        case DebeziumType::Date: return "io.debezium.time.Date";
        case DebeziumType::MicroTime: return "io.debezium.time.MicroTime";
        case DebeziumType::Timestamp: return "io.debezium.time.Timestamp";
        case DebeziumType::MicroTimestamp: return "io.debezium.time.MicroTimestamp";
        case DebeziumType::ZonedTimestamp: return "io.debezium.time.ZonedTimestamp";
        case DebeziumType::Year: return "io.debezium.time.Year";
        case DebeziumType::Bits: return "io.debezium.data.Bits";
        case DebeziumType::Enum: return "io.debezium.data.Enum";
        case DebeziumType::EnumSet: return "io.debezium.data.EnumSet";
        case DebeziumType::Json: return "io.debezium.data.Json";
        case DebeziumType::Geometry: return "io.debezium.data.geometry.Geometry";
        case DebeziumType::Point: return "io.debezium.data.geometry.Point";
        case DebeziumType::FloatVector: return "io.debezium.data.FloatVector";
        default: return {};
    }
}

// ENUM/SET's "allowed" parameter: the labels joined by ','.
void append_allowed(const std::vector<std::string>& labels, std::string& out) {
    std::string joined;
    for (size_t i = 0; i < labels.size(); ++i) {
        if (i != 0) joined += ',';
        joined += labels[i];
    }
    out += "\"parameters\":{\"allowed\":";
    append_json_string(out, joined);
    out += "},";
}

}  // namespace

DebeziumColumn classify_debezium_column(const model::ColumnDef& column, DecimalHandling decimal) {
    DebeziumColumn mapped;
    mapped.type = type_of(column, decimal);
    mapped.optional = column.nullable;
    mapped.fsp = column.fsp;
    mapped.bits = column.bits;
    return mapped;
}

void append_debezium_field_schema(const model::ColumnDef& column, const DebeziumColumn& mapped,
                                  std::string_view field_name, std::string& out) {
    out += "{\"type\":\"";
    out += connect_type(mapped.type);
    out += '"';
    if (mapped.type == DebeziumType::Geometry) {
        out +=
            ",\"fields\":[{\"type\":\"bytes\",\"optional\":false,\"field\":\"wkb\"},"
            "{\"type\":\"int32\",\"optional\":true,\"field\":\"srid\"}]";
    } else if (mapped.type == DebeziumType::Point) {
        out +=
            ",\"fields\":[{\"type\":\"double\",\"optional\":false,\"field\":\"x\"},"
            "{\"type\":\"double\",\"optional\":false,\"field\":\"y\"},"
            "{\"type\":\"bytes\",\"optional\":true,\"field\":\"wkb\"},"
            "{\"type\":\"int32\",\"optional\":true,\"field\":\"srid\"}]";
    } else if (mapped.type == DebeziumType::FloatVector) {
        out += ",\"items\":{\"type\":\"float\",\"optional\":false}";
    }
    out += mapped.optional ? ",\"optional\":true," : ",\"optional\":false,";
    std::string_view name = logical_name(mapped.type);
    if (!name.empty()) {
        out += "\"name\":\"";
        out += name;
        out += "\",\"version\":1,";
    }
    switch (mapped.type) {
        case DebeziumType::Geometry: out += "\"doc\":\"Geometry\","; break;
        case DebeziumType::Point: out += "\"doc\":\"Geometry (POINT)\","; break;
        case DebeziumType::DecimalBytes:
            out += "\"parameters\":{\"scale\":\"";
            out += std::to_string(column.scale);
            out += "\",\"connect.decimal.precision\":\"";
            out += std::to_string(column.precision);
            out += "\"},";
            break;
        case DebeziumType::Bits:
            out += "\"parameters\":{\"length\":\"";
            out += std::to_string(column.bits);
            out += "\"},";
            break;
        case DebeziumType::Enum: append_allowed(column.enum_labels, out); break;
        case DebeziumType::EnumSet: append_allowed(column.set_labels, out); break;
        default: break;
    }
    out += "\"field\":";
    append_json_string(out, field_name);
    out += '}';
}

}  // namespace cdc::format
