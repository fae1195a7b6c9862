// TablePattern: one item of MYSQL_TABLE or MYSQL_TABLE_EXCLUDE that may name many tables, and
// TableSelection, the include and exclude patterns together.
//
// Syntax of an item (docs/CONFIGURATION.md, "Table patterns"):
//   shop.orders        an exact name (today's form; `_` is a literal here)
//   shop.*             every table of schema shop (`*` as a whole part means "any name")
//   shop.order\_%      SQL LIKE on each part that holds an unescaped `%`: `%` any run, `_` one
//                      character, `\` escapes the next character
//   /shop\.order_\d+/  a regular expression (ECMAScript, std::regex) matched against the whole
//                      "schema.table"; no comma inside (MYSQL_TABLE is split at commas)
// A part without a schema (`order_%`) takes MYSQL_SCHEMA, as exact names do; a regex never does.
// Names are compared byte for byte, case-sensitively, as the server stores them.
//
//   auto p = parse_table_pattern("shop.order_%");   // TablePattern or the problem text
//   std::get<TablePattern>(p).matches({"shop", "order_1"});  // true
//
// Matching builds no state per call; the daemon matches a table once (stream::TableFilter caches
// the decision), never per change.
#pragma once

#include <memory>
#include <regex>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "model/table_id.h"

namespace cdc::model {

struct TablePattern {
    enum class Kind { Exact, Like, Regex };
    Kind kind = Kind::Exact;
    std::string text;  // as written in the setting
    // Exact and Like: the parts ("" schema until MYSQL_SCHEMA is applied); a part is a LIKE
    // pattern when its flag is set, else a literal name.
    std::string schema;
    std::string table;
    bool schema_like = false;
    bool table_like = false;
    std::shared_ptr<const std::regex> regex;  // Regex

    bool matches(const TableId& id) const;
    // An exact name: the one table it names.
    TableId exact() const { return {schema, table}; }
    // The same text for the same pattern however written (MYSQL_SCHEMA applied, `*` as `%`):
    // what the state file records.
    std::string canonical() const;
};

// One item, trimmed by the caller: the pattern, or what is wrong with it (a phrase that follows
// "item X ...").
std::variant<TablePattern, std::string> parse_table_pattern(std::string_view item);

// SQL LIKE with `%`, `_` and `\` as escape, byte-wise and case-sensitive.
bool like_matches(std::string_view pattern, std::string_view name);

struct TableSelection {
    std::vector<TablePattern> include;  // Like and Regex items of MYSQL_TABLE
    std::vector<TablePattern> exclude;  // every item of MYSQL_TABLE_EXCLUDE

    bool excluded(const TableId& id) const;
    // The include pattern that takes `id` (the first that matches), unless an exclude matches:
    // nullptr when none.
    const TablePattern* selects(const TableId& id) const;
};

}  // namespace cdc::model
