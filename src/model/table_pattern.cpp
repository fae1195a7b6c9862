#include "model/table_pattern.h"

namespace cdc::model {
namespace {

// A part is a LIKE pattern when it holds a `%` that no backslash escapes.
bool has_unescaped_percent(std::string_view part) {
    for (size_t i = 0; i < part.size(); ++i) {
        if (part[i] == '\\') {
            ++i;
        } else if (part[i] == '%') {
            return true;
        }
    }
    return false;
}

bool part_matches(const std::string& pattern, bool like, const std::string& name) {
    return like ? like_matches(pattern, name) : pattern == name;
}

// "*" or a part with `%`: the LIKE pattern; otherwise the literal name.
void set_part(std::string_view part, std::string& out, bool& like) {
    // "*" means any name, as the LIKE pattern "%" does.
    out.assign(part == "*" ? std::string_view("%") : part);
    like = has_unescaped_percent(out);
}

std::variant<TablePattern, std::string> parse_regex(std::string_view item) {
    TablePattern p;
    p.kind = TablePattern::Kind::Regex;
    p.text = std::string(item);
    std::string body(item.substr(1, item.size() - 2));
    if (body.empty()) return std::string("is an empty regular expression");
    try {
        p.regex = std::make_shared<const std::regex>(body, std::regex::ECMAScript);
    } catch (const std::regex_error& e) {
        return std::string("is not a valid regular expression (") + e.what() + ")";
    }
    return p;
}

}  // namespace

bool like_matches(std::string_view pattern, std::string_view name) {
    // Iterative matching with one backtrack point (the last `%`): linear in practice, no
    // recursion on hostile patterns.
    size_t p = 0, n = 0;
    size_t star_p = std::string_view::npos, star_n = 0;
    while (n < name.size()) {
        if (p < pattern.size() && pattern[p] == '%') {
            star_p = ++p;
            star_n = n;
            continue;
        }
        if (p < pattern.size()) {
            bool escaped = pattern[p] == '\\' && p + 1 < pattern.size();
            char want = escaped ? pattern[p + 1] : pattern[p];
            if ((!escaped && want == '_') || want == name[n]) {
                p += escaped ? 2 : 1;
                ++n;
                continue;
            }
        }
        if (star_p == std::string_view::npos) return false;
        p = star_p;
        n = ++star_n;
    }
    while (p < pattern.size() && pattern[p] == '%') ++p;
    return p == pattern.size();
}

std::variant<TablePattern, std::string> parse_table_pattern(std::string_view item) {
    if (item.size() >= 2 && item.front() == '/' && item.back() == '/') return parse_regex(item);
    if (!item.empty() && item.front() == '/') {
        return std::string("starts a regular expression with / but does not end with /");
    }
    TablePattern p;
    p.text = std::string(item);
    // The dot between schema and table: the first one no backslash escapes.
    size_t dot = std::string_view::npos;
    for (size_t i = 0; i < item.size(); ++i) {
        if (item[i] == '\\') {
            ++i;
        } else if (item[i] == '.') {
            if (dot != std::string_view::npos) return std::string("has more than one dot");
            dot = i;
        }
    }
    std::string_view schema = dot == std::string_view::npos ? "" : item.substr(0, dot);
    std::string_view table = dot == std::string_view::npos ? item : item.substr(dot + 1);
    if (dot != std::string_view::npos && schema.empty())
        return std::string("has an empty schema name");
    if (table.empty()) return std::string("has an empty table name");
    set_part(schema, p.schema, p.schema_like);
    set_part(table, p.table, p.table_like);
    p.kind = p.schema_like || p.table_like ? TablePattern::Kind::Like : TablePattern::Kind::Exact;
    return p;
}

std::string TablePattern::canonical() const {
    return kind == Kind::Regex ? text : schema + "." + table;
}

bool TablePattern::matches(const TableId& id) const {
    switch (kind) {
        case Kind::Exact: return schema == id.schema && table == id.table;
        case Kind::Like:
            return part_matches(schema, schema_like, id.schema) &&
                   part_matches(table, table_like, id.table);
        case Kind::Regex: return std::regex_match(id.qualified(), *regex);
    }
    return false;
}

bool TableSelection::excluded(const TableId& id) const {
    for (const TablePattern& p : exclude) {
        if (p.matches(id)) return true;
    }
    return false;
}

const TablePattern* TableSelection::selects(const TableId& id) const {
    for (const TablePattern& p : include) {
        if (p.matches(id)) return excluded(id) ? nullptr : &p;
    }
    return nullptr;
}

}  // namespace cdc::model
