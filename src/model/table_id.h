// TableId: which table, as schema and table name. The one identity of a table across the
// daemon: configuration, the table filter, the statement guard, server checks, the snapshot,
// the state store and the Kafka sink's topic lookup all key by it.
//
//   model::TableId id{"shop", "orders"};
//   id.qualified();  // shop.orders       for log lines and the state file's texts
//   id.quoted();     // `shop`.`orders`   for SQL
//   std::unordered_set<model::TableId> watched{id};
//
// Names are kept as the server spells them (bytes, case-sensitive). A name as written in a
// statement may have an empty schema (the default database applies; binlog/statement_kind.h).
#pragma once

#include <compare>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace cdc::model {

struct TableId {
    std::string schema;
    std::string table;

    // "schema.table": log and error texts, and the form persisted in state files.
    std::string qualified() const { return schema + "." + table; }
    // `schema`.`table`, backticks inside doubled: safe in SQL whatever the bytes.
    std::string quoted() const;

    // The inverse of qualified() for the texts mysql-cdc persisted (a state file's "tables"
    // and "table_starts", the snapshot record's "table"); the format is kept as it is, so this
    // is the one place that splits it. It splits at the LAST dot: a configured table name never
    // holds a dot (MYSQL_TABLE takes at most one, between schema and table) while a schema name
    // (MYSQL_SCHEMA) may, so every text written for a configured table reads back as that
    // table. A table name with a dot would be ambiguous here. A text without a dot gives an
    // empty schema, which no configured table has.
    static TableId from_qualified(std::string_view text);

    friend bool operator==(const TableId&, const TableId&) = default;
    friend auto operator<=>(const TableId&, const TableId&) = default;
};

// `name` as a backtick-quoted identifier, backticks inside doubled: shop -> `shop`.
std::string quote_identifier(std::string_view name);

// One name as a file-name component that stays inside its directory: '/', '%', control bytes
// and DEL become %XX (upper-case hex); every other byte, UTF-8 included, is kept, so an
// ordinary name is unchanged. Used for state file names (state/state_names.h).
std::string escape_file_name(std::string_view name);
// Reverses escape_file_name; false on a malformed escape.
bool unescape_file_name(std::string_view escaped, std::string& out);

}  // namespace cdc::model

template <>
struct std::hash<cdc::model::TableId> {
    size_t operator()(const cdc::model::TableId& id) const noexcept {
        const size_t h = std::hash<std::string>{}(id.schema);
        // Mixed so that {a, b} and {b, a} differ.
        return h ^
               (std::hash<std::string>{}(id.table) + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2));
    }
};
