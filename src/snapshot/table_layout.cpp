#include "snapshot/table_layout.h"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "mysql/table_key.h"
#include "snapshot/column_definition.h"

namespace cdc::snapshot {
namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

uint8_t small_number(const std::optional<std::string>& text) {
    if (!text) return 0;
    unsigned v = 0;
    std::from_chars(text->data(), text->data() + text->size(), v);
    return static_cast<uint8_t>(std::min(v, 255U));
}

uint64_t large_number(const std::optional<std::string>& text) {
    uint64_t v = 0;
    if (text) std::from_chars(text->data(), text->data() + text->size(), v);
    return v;
}

bool is_one_of(const std::string& s, std::initializer_list<std::string_view> names) {
    return std::find(names.begin(), names.end(), s) != names.end();
}

// Decides how a column is read, from information_schema's DATA_TYPE and COLUMN_TYPE.
Status classify(SnapshotColumn& c, const std::string& column_type) {
    const std::string& t = c.data_type;
    const std::string quoted = model::quote_identifier(c.name);
    c.select_expr = quoted;
    bool is_unsigned = column_type.find("unsigned") != std::string::npos;
    if (is_one_of(t, {"tinyint", "smallint", "mediumint", "int", "integer", "bigint"})) {
        c.reading = is_unsigned ? ColumnReading::UInt : ColumnReading::Int;
    } else if (t == "float") {
        c.reading = ColumnReading::Float;
        c.select_expr = "CAST(" + quoted + " AS DOUBLE)";
    } else if (t == "double" || t == "real") {
        c.reading = ColumnReading::Double;
    } else if (t == "decimal" || t == "numeric") {
        c.reading = ColumnReading::Decimal;
    } else if (t == "year") {
        c.reading = ColumnReading::Year;
    } else if (t == "bit") {
        c.reading = ColumnReading::Bit;
    } else if (t == "date") {
        c.reading = ColumnReading::Date;
    } else if (t == "time") {
        c.reading = ColumnReading::Time;
    } else if (t == "datetime") {
        c.reading = ColumnReading::DateTime;
    } else if (t == "timestamp") {
        c.reading = ColumnReading::Timestamp;
    } else if (is_one_of(t, {"char", "varchar", "tinytext", "text", "mediumtext", "longtext",
                             "enum", "set"})) {
        c.reading =
            c.charset.empty() || c.charset == "binary" ? ColumnReading::Bytes : ColumnReading::Text;
    } else if (is_one_of(t, {"binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob",
                             "geometry", "point", "linestring", "polygon", "multipoint",
                             "multilinestring", "multipolygon", "geometrycollection",
                             "geomcollection"})) {
        c.reading = ColumnReading::Bytes;
    } else if (t == "inet6" || t == "uuid" || t == "inet4") {
        // The binlog carries these MariaDB types as their binary form.
        c.reading = ColumnReading::Bytes;
        c.select_expr = "CAST(" + quoted + " AS BINARY(" + (t == "inet4" ? "4" : "16") + "))";
    } else if (t == "json") {
        c.reading = ColumnReading::Json;
    } else if (t == "vector") {
        c.reading = ColumnReading::Vector;
    } else {
        return make_error(Errc::FailedPrecondition,
                          "column " + c.name + " has type " + column_type +
                              ", which the snapshot cannot read yet: leave INITIAL_SNAPSHOT off "
                              "for this table");
    }
    return {};
}

}  // namespace

Result<TableLayout> load_table_layout(mysql::Connection& conn, const model::TableId& table) {
    TableLayout layout;
    layout.id = table;
    const std::string where = "TABLE_SCHEMA = " + conn.quote_literal(table.schema) +
                              " AND TABLE_NAME = " + conn.quote_literal(table.table);
    auto columns = conn.query(
        "SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, CHARACTER_SET_NAME, DATETIME_PRECISION, "
        "NUMERIC_PRECISION, NUMERIC_SCALE, IS_NULLABLE, CHARACTER_OCTET_LENGTH "
        "FROM information_schema.COLUMNS WHERE " +
        where + " ORDER BY ORDINAL_POSITION");
    if (!columns) return columns.error();
    if (columns->rows.empty()) {
        return make_error(Errc::FailedPrecondition,
                          "table " + layout.qualified() +
                              " does not exist (or the user cannot see it): check MYSQL_TABLE "
                              "and GRANT SELECT ON " +
                              model::quote_identifier(table.schema) + ".* TO the user");
    }
    std::vector<model::ColumnDef> definitions;
    for (const auto& row : columns->rows) {
        SnapshotColumn c;
        c.name = row[0].value_or("");
        c.data_type = lower(row[1].value_or(""));
        c.charset = lower(row[3].value_or(""));
        c.fsp = small_number(row[4]);
        c.precision = small_number(row[5]);
        c.scale = small_number(row[6]);
        Status st = classify(c, lower(row[2].value_or("")));
        if (!st) return st.error().with_context(layout.qualified() + ": ");
        InformationSchemaColumn info;
        info.name = c.name;
        info.data_type = c.data_type;
        info.column_type = row[2].value_or("");
        info.nullable = row[7].value_or("YES") == "YES";
        info.octet_length = large_number(row[8]);
        info.fsp = c.fsp;
        info.precision = c.precision;
        info.scale = c.scale;
        definitions.push_back(column_definition(info));
        layout.columns.push_back(std::move(c));
    }
    auto key = mysql::read_binlog_key(conn, table);
    if (!key) return key.error();
    uint32_t hidden = static_cast<uint32_t>(layout.columns.size());
    for (const std::string& name : key->columns) {
        auto it = std::find_if(layout.columns.begin(), layout.columns.end(),
                               [&](const SnapshotColumn& c) { return c.name == name; });
        if (it == layout.columns.end()) {
            return make_error(Errc::Internal, "primary key column " + name + " of " +
                                                  layout.qualified() + " not among its columns");
        }
        uint32_t index = static_cast<uint32_t>(it - layout.columns.begin());
        layout.key.push_back(index);
        bool by_index = it->data_type == "enum" || it->data_type == "set";
        layout.key_result_columns.push_back(by_index ? hidden++ : index);
    }
    auto estimate = conn.query("SELECT TABLE_ROWS FROM information_schema.TABLES WHERE " + where);
    if (estimate && !estimate->rows.empty() && estimate->rows[0][0]) {
        const std::string& n = *estimate->rows[0][0];
        std::from_chars(n.data(), n.data() + n.size(), layout.estimated_rows);
    }

    model::TableSchema& s = layout.event_schema;
    s.schema = table.schema;
    s.table = table.table;
    s.has_column_names = true;
    s.primary_key = layout.key;
    s.generation = model::next_schema_generation();
    // Types and parameters as the binlog's TABLE_MAP gives them (column_definition.h): the seed
    // format reads only the names, the Debezium format renders by type.
    s.columns = std::move(definitions);
    return layout;
}

namespace {

// The chunk query with `comparand(i)` as the i-th value the key is compared with, in the order
// (k1 > v1) OR (k1 = v1 AND k2 > v2) OR ...: a union of ranges on the primary key, which the
// optimizer reads as a range scan (row comparisons are not always). No comparands: the first
// chunk. The values are numbered by key column, so v1 appears k times for a k-column key.
template <class Comparand>
std::string build_chunk_query(const TableLayout& layout, bool after, uint32_t limit,
                              Comparand comparand) {
    std::string sql = "SELECT ";
    for (size_t i = 0; i < layout.columns.size(); ++i) {
        if (i != 0) sql += ',';
        sql += layout.columns[i].select_expr;
    }
    for (size_t k = 0; k < layout.key.size(); ++k) {
        if (layout.key_result_columns[k] != layout.key[k]) {
            sql += "," + model::quote_identifier(layout.columns[layout.key[k]].name) + "+0";
        }
    }
    sql += " FROM " + layout.id.quoted();
    if (layout.key.empty()) return sql;
    if (after) {
        sql += " WHERE ";
        for (size_t k = 0; k < layout.key.size(); ++k) {
            if (k != 0) sql += " OR ";
            sql += '(';
            for (size_t e = 0; e < k; ++e) {
                sql += model::quote_identifier(layout.columns[layout.key[e]].name) + " = " +
                       comparand(e) + " AND ";
            }
            sql +=
                model::quote_identifier(layout.columns[layout.key[k]].name) + " > " + comparand(k);
            sql += ')';
        }
    }
    sql += " ORDER BY ";
    for (size_t k = 0; k < layout.key.size(); ++k) {
        if (k != 0) sql += ',';
        sql += model::quote_identifier(layout.columns[layout.key[k]].name);
    }
    sql += " LIMIT " + std::to_string(limit);
    return sql;
}

}  // namespace

Result<std::string> chunk_query(const TableLayout& layout, const std::vector<KeyValue>& after,
                                uint32_t limit) {
    if (layout.key.empty()) {
        return build_chunk_query(layout, false, limit, [](size_t) { return std::string(); });
    }
    if (!after.empty() && after.size() != layout.key.size()) {
        return make_error(Errc::DataLoss,
                          "the saved snapshot key of " + layout.qualified() + " has " +
                              std::to_string(after.size()) + " values but the primary key " +
                              std::to_string(layout.key.size()) +
                              " columns (was the key changed?): set FORCE_SNAPSHOT=true");
    }
    std::vector<std::string> literals;
    for (const auto& v : after) {
        auto lit = key_literal(v);
        if (!lit) return lit.error();
        literals.push_back(std::move(*lit));
    }
    return build_chunk_query(layout, !after.empty(), limit, [&](size_t k) { return literals[k]; });
}

std::string chunk_query_template(const TableLayout& layout, uint32_t limit) {
    return build_chunk_query(layout, true, limit, [](size_t) { return std::string("?"); });
}

std::optional<std::vector<mysql::IntegerParam>> integer_key_params(
    const TableLayout& layout, const std::vector<KeyValue>& after) {
    if (layout.key.empty() || after.size() != layout.key.size()) return std::nullopt;
    std::vector<mysql::IntegerParam> values;
    for (const KeyValue& v : after) {
        if (v.kind != KeyValue::Kind::Number || v.text.empty()) return std::nullopt;
        const char* first = v.text.data();
        const char* last = first + v.text.size();
        mysql::IntegerParam p;
        if (v.text[0] == '-') {
            auto [end, ec] = std::from_chars(first, last, p.value);
            if (ec != std::errc() || end != last) return std::nullopt;
        } else {
            uint64_t u = 0;
            auto [end, ec] = std::from_chars(first, last, u);
            if (ec != std::errc() || end != last) return std::nullopt;  // a DECIMAL's "3.50"
            p.value = static_cast<int64_t>(u);
            p.is_unsigned = u > static_cast<uint64_t>(INT64_MAX);
        }
        values.push_back(p);
    }
    // In the template's order: key column e is compared in every term k >= e.
    std::vector<mysql::IntegerParam> params;
    for (size_t k = 0; k < values.size(); ++k) {
        for (size_t e = 0; e <= k; ++e) params.push_back(values[e]);
    }
    return params;
}

}  // namespace cdc::snapshot
