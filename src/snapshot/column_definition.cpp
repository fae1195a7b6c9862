#include "snapshot/column_definition.h"

#include <algorithm>
#include <cctype>
#include <initializer_list>

namespace cdc::snapshot {
namespace {

using model::ColumnType;

bool is_one_of(std::string_view s, std::initializer_list<std::string_view> names) {
    return std::find(names.begin(), names.end(), s) != names.end();
}

// The TABLE_MAP type the server logs for a column of this DATA_TYPE (MySQL and MariaDB).
ColumnType type_of(std::string_view t) {
    if (t == "tinyint") return ColumnType::Tiny;
    if (t == "smallint") return ColumnType::Short;
    if (t == "mediumint") return ColumnType::Int24;
    if (t == "int" || t == "integer") return ColumnType::Long;
    if (t == "bigint") return ColumnType::LongLong;
    if (t == "float") return ColumnType::Float;
    if (t == "double" || t == "real") return ColumnType::Double;
    if (t == "decimal" || t == "numeric") return ColumnType::NewDecimal;
    if (t == "year") return ColumnType::Year;
    if (t == "bit") return ColumnType::Bit;
    if (t == "date") return ColumnType::Date;
    if (t == "time") return ColumnType::Time2;
    if (t == "datetime") return ColumnType::DateTime2;
    if (t == "timestamp") return ColumnType::Timestamp2;
    if (t == "char" || t == "binary") return ColumnType::String;
    if (t == "varchar" || t == "varbinary") return ColumnType::VarChar;
    if (is_one_of(t, {"tinytext", "text", "mediumtext", "longtext", "tinyblob", "blob",
                      "mediumblob", "longblob"})) {
        return ColumnType::Blob;
    }
    if (t == "enum") return ColumnType::Enum;
    if (t == "set") return ColumnType::Set;
    if (t == "json") return ColumnType::Json;
    if (is_one_of(t, {"geometry", "point", "linestring", "polygon", "multipoint", "multilinestring",
                      "multipolygon", "geometrycollection", "geomcollection"})) {
        return ColumnType::Geometry;
    }
    if (t == "vector") return ColumnType::Vector;
    // MariaDB's INET4/INET6/UUID travel as fixed binary strings.
    if (t == "inet4" || t == "inet6" || t == "uuid") return ColumnType::String;
    return ColumnType::Null;
}

// MySQL's Field::geometry_type numbers, as the binlog's GEOMETRY_TYPE metadata gives them.
uint32_t geometry_type_of(std::string_view t) {
    constexpr std::string_view kNames[] = {
        "geometry",   "point",           "linestring",   "polygon",
        "multipoint", "multilinestring", "multipolygon", "geometrycollection"};
    for (uint32_t i = 0; i < std::size(kNames); ++i) {
        if (t == kNames[i]) return i;
    }
    return t == "geomcollection" ? 7 : 0;
}

bool binary_type(std::string_view t) {
    return is_one_of(t, {"binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob",
                         "inet4", "inet6", "uuid"});
}

}  // namespace

std::vector<std::string> enum_labels(std::string_view column_type) {
    std::vector<std::string> labels;
    size_t i = column_type.find('(');
    if (i == std::string_view::npos) return labels;
    ++i;
    while (i < column_type.size()) {
        if (column_type[i] != '\'') break;
        std::string label;
        for (++i; i < column_type.size(); ++i) {
            char c = column_type[i];
            if (c == '\\' && i + 1 < column_type.size()) {
                label += column_type[++i];
            } else if (c == '\'') {
                if (i + 1 < column_type.size() && column_type[i + 1] == '\'') {
                    label += '\'';
                    ++i;
                } else {
                    break;
                }
            } else {
                label += c;
            }
        }
        labels.push_back(std::move(label));
        ++i;  // the closing quote
        if (i < column_type.size() && column_type[i] == ',') ++i;
    }
    return labels;
}

model::ColumnDef column_definition(const InformationSchemaColumn& c) {
    model::ColumnDef def;
    def.name = c.name;
    def.type = type_of(c.data_type);
    def.nullable = c.nullable;
    std::string lowered = c.column_type;
    std::transform(lowered.begin(), lowered.end(), lowered.begin(),
                   [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    def.is_unsigned = def.type != ColumnType::Enum && def.type != ColumnType::Set &&
                      lowered.find("unsigned") != std::string::npos;
    def.collation = binary_type(c.data_type) ? model::kBinaryCollation : c.collation;
    switch (def.type) {
        case ColumnType::NewDecimal:
            def.precision = c.precision;
            def.scale = c.scale;
            break;
        case ColumnType::Bit: def.bits = c.precision; break;
        case ColumnType::Time2:
        case ColumnType::DateTime2:
        case ColumnType::Timestamp2: def.fsp = c.fsp; break;
        case ColumnType::String:
        case ColumnType::VarChar:
            def.max_length = static_cast<uint32_t>(std::min<uint64_t>(c.octet_length, UINT32_MAX));
            break;
        case ColumnType::Enum: def.enum_labels = enum_labels(c.column_type); break;
        case ColumnType::Set: def.set_labels = enum_labels(c.column_type); break;
        case ColumnType::Geometry: def.geometry_type = geometry_type_of(c.data_type); break;
        default: break;
    }
    return def;
}

}  // namespace cdc::snapshot
