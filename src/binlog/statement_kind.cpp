#include "binlog/statement_kind.h"

#include <strings.h>

#include <algorithm>

namespace cdc::binlog {
namespace {

enum class TokenKind : uint8_t { Word, QuotedName, String, Punct };

struct Token {
    TokenKind kind;
    std::string text;  // Word/QuotedName: the name (unquoted); Punct: the character
    int depth = 0;     // parentheses around the token
};

struct LexMode {
    bool backslash_escapes = true;
    bool ansi_quotes = false;
};

bool is_word_byte(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '$' || c >= 0x80;
}

bool is_space(unsigned char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// Reads a quoted run starting after the opening `quote`; a doubled quote stands for one, and
// with `backslash` a backslash escapes the next byte. Returns the content (escapes kept as
// written: only names use it, and they have no backslash escapes).
std::string read_quoted(std::string_view s, size_t& i, char quote, bool backslash) {
    std::string out;
    while (i < s.size()) {
        char c = s[i];
        if (backslash && c == '\\' && i + 1 < s.size()) {
            out += s[i + 1];
            i += 2;
            continue;
        }
        if (c == quote) {
            if (i + 1 < s.size() && s[i + 1] == quote) {
                out += quote;
                i += 2;
                continue;
            }
            ++i;
            return out;
        }
        out += c;
        ++i;
    }
    return out;  // unterminated: the rest is the quoted run
}

std::vector<Token> lex(std::string_view s, LexMode mode) {
    std::vector<Token> tokens;
    int depth = 0;
    bool in_executable_comment = false;
    size_t i = 0;
    while (i < s.size()) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        if (is_space(c)) {
            ++i;
            continue;
        }
        if (c == '#') {
            while (i < s.size() && s[i] != '\n') ++i;
            continue;
        }
        if (c == '-' && i + 1 < s.size() && s[i + 1] == '-' &&
            (i + 2 == s.size() || is_space(static_cast<unsigned char>(s[i + 2])) ||
             static_cast<unsigned char>(s[i + 2]) < 0x20)) {
            while (i < s.size() && s[i] != '\n') ++i;
            continue;
        }
        if (c == '/' && i + 1 < s.size() && s[i + 1] == '*') {
            // /*! ... */ and /*M! ... */ (optionally with a version number) are executed.
            size_t j = i + 2;
            if (j < s.size() && s[j] == 'M' && j + 1 < s.size() && s[j + 1] == '!') ++j;
            if (j < s.size() && s[j] == '!') {
                ++j;
                while (j < s.size() && s[j] >= '0' && s[j] <= '9') ++j;
                in_executable_comment = true;
                i = j;
                continue;
            }
            size_t end = s.find("*/", i + 2);
            i = end == std::string_view::npos ? s.size() : end + 2;
            continue;
        }
        if (c == '*' && in_executable_comment && i + 1 < s.size() && s[i + 1] == '/') {
            in_executable_comment = false;
            i += 2;
            continue;
        }
        if (c == '\'') {
            ++i;
            tokens.push_back(
                {TokenKind::String, read_quoted(s, i, '\'', mode.backslash_escapes), depth});
            continue;
        }
        if (c == '"') {
            ++i;
            if (mode.ansi_quotes) {
                tokens.push_back({TokenKind::QuotedName, read_quoted(s, i, '"', false), depth});
            } else {
                tokens.push_back(
                    {TokenKind::String, read_quoted(s, i, '"', mode.backslash_escapes), depth});
            }
            continue;
        }
        if (c == '`') {
            ++i;
            tokens.push_back({TokenKind::QuotedName, read_quoted(s, i, '`', false), depth});
            continue;
        }
        if (is_word_byte(c)) {
            size_t start = i;
            while (i < s.size() && is_word_byte(static_cast<unsigned char>(s[i]))) ++i;
            tokens.push_back({TokenKind::Word, std::string(s.substr(start, i - start)), depth});
            continue;
        }
        if (c == ')') depth = std::max(0, depth - 1);
        tokens.push_back({TokenKind::Punct, std::string(1, static_cast<char>(c)), depth});
        if (c == '(') ++depth;
        ++i;
    }
    return tokens;
}

bool is_word(const Token& t, std::string_view word) {
    return t.kind == TokenKind::Word && t.text.size() == word.size() &&
           strncasecmp(t.text.data(), word.data(), word.size()) == 0;
}

bool is_name(const Token& t) {
    return t.kind == TokenKind::Word || t.kind == TokenKind::QuotedName;
}

bool is_punct(const Token& t, char c) { return t.kind == TokenKind::Punct && t.text[0] == c; }

using Tokens = std::vector<Token>;

// Every name in [from, to): each `a.b` as schema a, table b, and each name not after a dot as
// an unqualified table (a column's qualifier is a table or an alias).
void add_names(const Tokens& t, size_t from, size_t to, std::vector<model::TableId>& out) {
    to = std::min(to, t.size());
    for (size_t i = from; i < to; ++i) {
        if (!is_name(t[i])) continue;
        bool after_dot = i > 0 && is_punct(t[i - 1], '.');
        if (!after_dot) out.push_back({"", t[i].text});
        if (i + 2 < t.size() && is_punct(t[i + 1], '.') && is_name(t[i + 2])) {
            out.push_back({t[i].text, t[i + 2].text});
        }
    }
}

// The name `[schema.]table` at `i`, if there is one; advances `i` past it.
std::optional<model::TableId> read_table_name(const Tokens& t, size_t& i) {
    if (i >= t.size() || !is_name(t[i])) return std::nullopt;
    if (i + 2 < t.size() && is_punct(t[i + 1], '.') && is_name(t[i + 2])) {
        model::TableId name{t[i].text, t[i + 2].text};
        i += 3;
        return name;
    }
    return model::TableId{"", t[i++].text};
}

// The first word at depth `depth` at or after `from` that is one of `words`, or t.size().
size_t find_word(const Tokens& t, size_t from, int depth,
                 std::initializer_list<std::string_view> words) {
    for (size_t i = from; i < t.size(); ++i) {
        if (t[i].depth != depth) continue;
        for (std::string_view w : words) {
            if (is_word(t[i], w)) return i;
        }
    }
    return t.size();
}

StatementInfo row_change(std::string verb) {
    StatementInfo info;
    info.kind = StatementClass::RowChange;
    info.verb = std::move(verb);
    return info;
}

StatementInfo everything_named(const Tokens& t, size_t from, std::string verb) {
    StatementInfo info = row_change(std::move(verb));
    add_names(t, from, t.size(), info.tables);
    return info;
}

std::string upper(std::string_view s) {
    std::string out(s);
    for (char& c : out) {
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    }
    return out;
}

StatementInfo classify_insert(const Tokens& t, size_t i, std::string verb) {
    while (i < t.size() &&
           (is_word(t[i], "LOW_PRIORITY") || is_word(t[i], "DELAYED") ||
            is_word(t[i], "HIGH_PRIORITY") || is_word(t[i], "IGNORE") || is_word(t[i], "INTO"))) {
        ++i;
    }
    std::optional<model::TableId> target = read_table_name(t, i);
    if (!target) return everything_named(t, 0, std::move(verb));
    StatementInfo info = row_change(std::move(verb));
    info.tables.push_back(std::move(*target));
    return info;
}

StatementInfo classify_alter(const Tokens& t, size_t i) {
    // Partition operations that remove, move in or swap rows without logging them as rows.
    int depth = t[i].depth;
    for (size_t j = i; j + 1 < t.size(); ++j) {
        if (t[j].depth != depth) continue;
        bool moves_rows = is_word(t[j], "TRUNCATE") || is_word(t[j], "DROP") ||
                          is_word(t[j], "EXCHANGE") || is_word(t[j], "CONVERT");
        if (moves_rows && (is_word(t[j + 1], "PARTITION") || is_word(t[j + 1], "TABLE"))) {
            if (is_word(t[j], "DROP") && is_word(t[j + 1], "TABLE")) continue;
            return everything_named(
                t, i, "ALTER TABLE ... " + upper(t[j].text) + " " + upper(t[j + 1].text));
        }
    }
    return {};
}

// CREATE [OR REPLACE] [TEMPORARY] TABLE [IF NOT EXISTS] name ... SELECT ...: in ROW format
// the server logs the CREATE without its SELECT and the rows as rows events; with the SELECT
// in the text the rows were logged as a statement.
StatementInfo classify_create(const Tokens& t, size_t i) {
    while (i < t.size() &&
           (is_word(t[i], "OR") || is_word(t[i], "REPLACE") || is_word(t[i], "TEMPORARY"))) {
        ++i;
    }
    if (i >= t.size() || !is_word(t[i], "TABLE")) return {};
    ++i;
    if (i + 2 < t.size() && is_word(t[i], "IF") && is_word(t[i + 1], "NOT") &&
        is_word(t[i + 2], "EXISTS")) {
        i += 3;
    }
    size_t name_at = i;
    std::optional<model::TableId> target = read_table_name(t, i);
    bool selects = std::any_of(t.begin() + static_cast<std::ptrdiff_t>(std::min(i, t.size())),
                               t.end(), [](const Token& k) { return is_word(k, "SELECT"); });
    if (!selects) return {};
    if (!target) return everything_named(t, name_at, "CREATE TABLE ... SELECT");
    StatementInfo info = row_change("CREATE TABLE ... SELECT");
    info.tables.push_back(std::move(*target));
    return info;
}

StatementInfo classify_truncate(const Tokens& t, size_t i) {
    if (i < t.size() && is_word(t[i], "TABLE")) ++i;
    StatementInfo info;
    info.kind = StatementClass::Truncate;
    info.verb = "TRUNCATE";
    while (true) {
        std::optional<model::TableId> name = read_table_name(t, i);
        if (!name) return everything_named(t, 0, "TRUNCATE");
        info.tables.push_back(std::move(*name));
        if (i < t.size() && is_punct(t[i], ',')) {
            ++i;
            continue;
        }
        break;
    }
    // What may follow: WAIT n, NOWAIT, a ';'. Anything else: not a form we know.
    for (; i < t.size(); ++i) {
        if (is_word(t[i], "WAIT") || is_word(t[i], "NOWAIT") || is_punct(t[i], ';') ||
            (t[i].kind == TokenKind::Word && t[i - 1].kind == TokenKind::Word &&
             is_word(t[i - 1], "WAIT"))) {
            continue;
        }
        return everything_named(t, 0, "TRUNCATE");
    }
    return info;
}

StatementInfo classify_tokens(const Tokens& t, size_t i) {
    if (i >= t.size() || t[i].kind != TokenKind::Word) return {};
    const Token& first = t[i];
    int depth = first.depth;
    if (is_word(first, "INSERT") || is_word(first, "REPLACE")) {
        return classify_insert(t, i + 1, upper(first.text));
    }
    if (is_word(first, "UPDATE")) {
        size_t set = find_word(t, i + 1, depth, {"SET"});
        if (set == t.size()) return everything_named(t, i, "UPDATE");
        StatementInfo info = row_change("UPDATE");
        add_names(t, i + 1, set, info.tables);
        return info;
    }
    if (is_word(first, "DELETE")) {
        size_t end = find_word(t, i + 1, depth, {"WHERE", "ORDER", "LIMIT", "RETURNING"});
        StatementInfo info = row_change("DELETE");
        add_names(t, i + 1, end, info.tables);
        return info;
    }
    if (is_word(first, "LOAD")) {
        std::string verb = i + 1 < t.size() && is_word(t[i + 1], "XML") ? "LOAD XML" : "LOAD DATA";
        for (size_t j = i + 1; j + 1 < t.size(); ++j) {
            if (is_word(t[j], "INTO") && is_word(t[j + 1], "TABLE")) {
                size_t k = j + 2;
                std::optional<model::TableId> target = read_table_name(t, k);
                if (!target) break;
                StatementInfo info = row_change(verb);
                info.tables.push_back(std::move(*target));
                return info;
            }
        }
        return everything_named(t, i, verb);
    }
    if (is_word(first, "TRUNCATE")) return classify_truncate(t, i + 1);
    if (is_word(first, "ALTER") && i + 1 < t.size() &&
        (is_word(t[i + 1], "TABLE") || is_word(t[i + 1], "ONLINE") ||
         is_word(t[i + 1], "IGNORE"))) {
        return classify_alter(t, i + 1);
    }
    if (is_word(first, "CREATE")) return classify_create(t, i + 1);
    if (is_word(first, "SET") && i + 1 < t.size() && is_word(t[i + 1], "STATEMENT")) {
        // SET STATEMENT var=value[, ...] FOR statement (MariaDB)
        size_t for_word = find_word(t, i + 2, depth, {"FOR"});
        if (for_word == t.size()) return {};
        return classify_tokens(t, for_word + 1);
    }
    if (is_word(first, "WITH")) {
        for (size_t j = i + 1; j < t.size(); ++j) {
            if (is_word(t[j], "INSERT") || is_word(t[j], "REPLACE") || is_word(t[j], "UPDATE") ||
                is_word(t[j], "DELETE")) {
                return everything_named(t, i, "WITH ... " + upper(t[j].text));
            }
        }
        StatementInfo info = row_change("WITH ... SELECT");
        info.any_table = true;
        return info;
    }
    if (is_word(first, "SELECT") || is_word(first, "DO") || is_word(first, "CALL")) {
        // Logged as a statement only when a stored function it calls changed data.
        StatementInfo info = row_change(upper(first.text));
        info.any_table = true;
        return info;
    }
    return {};  // BEGIN, COMMIT, XA ..., SAVEPOINT, DDL, GRANT, ...
}

// --- schema changes ---------------------------------------------------------------------------

// Skips the words of `words` in order where they are (IF NOT EXISTS, IF EXISTS).
void skip_words(const Tokens& t, size_t& i, std::initializer_list<std::string_view> words) {
    size_t j = i;
    for (std::string_view w : words) {
        if (j >= t.size() || !is_word(t[j], w)) return;
        ++j;
    }
    i = j;
}

// `name [, name ...]` at i (DROP TABLE a, b; RENAME's pairs with TO between them), skipping
// MariaDB's WAIT n / NOWAIT and the words in `separators`.
void read_name_list(const Tokens& t, size_t i, std::initializer_list<std::string_view> separators,
                    std::vector<model::TableId>& out) {
    while (i < t.size()) {
        if (t[i].depth != 0 || is_punct(t[i], ',')) {
            ++i;
            continue;
        }
        bool separator = is_word(t[i], "NOWAIT");
        for (std::string_view w : separators) separator = separator || is_word(t[i], w);
        if (separator) {
            ++i;
            continue;
        }
        if (is_word(t[i], "WAIT")) {
            i += 2;
            continue;
        }
        if (is_word(t[i], "RESTRICT") || is_word(t[i], "CASCADE") || is_punct(t[i], ';')) return;
        std::optional<model::TableId> name = read_table_name(t, i);
        if (!name) return;
        out.push_back(std::move(*name));
    }
}

std::optional<DdlInfo> ddl_alter(const Tokens& t, size_t i) {
    skip_words(t, i, {"ONLINE"});
    skip_words(t, i, {"IGNORE"});
    if (i >= t.size() || !is_word(t[i], "TABLE")) return std::nullopt;
    ++i;
    skip_words(t, i, {"IF", "EXISTS"});
    std::optional<model::TableId> name = read_table_name(t, i);
    if (!name) return std::nullopt;
    DdlInfo info{"ALTER TABLE", {std::move(*name)}};
    for (; i < t.size(); ++i) {
        if (t[i].depth != 0 || !is_word(t[i], "RENAME")) continue;
        size_t j = i + 1;
        if (j < t.size() && (is_word(t[j], "TO") || is_word(t[j], "AS"))) ++j;
        // RENAME COLUMN / INDEX / KEY are not a new table name.
        if (j < t.size() &&
            (is_word(t[j], "COLUMN") || is_word(t[j], "INDEX") || is_word(t[j], "KEY"))) {
            continue;
        }
        if (std::optional<model::TableId> to = read_table_name(t, j)) {
            info.tables.push_back(std::move(*to));
        }
    }
    return info;
}

std::optional<DdlInfo> ddl_create(const Tokens& t, size_t i) {
    skip_words(t, i, {"OR", "REPLACE"});
    if (i < t.size() && is_word(t[i], "TEMPORARY")) return std::nullopt;
    bool index = false;
    while (i < t.size() &&
           (is_word(t[i], "UNIQUE") || is_word(t[i], "FULLTEXT") || is_word(t[i], "SPATIAL") ||
            is_word(t[i], "ONLINE") || is_word(t[i], "OFFLINE"))) {
        ++i;
    }
    if (i < t.size() && is_word(t[i], "INDEX")) index = true;
    if (!index && (i >= t.size() || !is_word(t[i], "TABLE"))) return std::nullopt;
    ++i;
    skip_words(t, i, {"IF", "NOT", "EXISTS"});
    if (!index) {
        std::optional<model::TableId> name = read_table_name(t, i);
        if (!name) return std::nullopt;
        return DdlInfo{"CREATE TABLE", {std::move(*name)}};
    }
    size_t on = find_word(t, i, 0, {"ON"});
    if (on == t.size()) return std::nullopt;
    ++on;
    std::optional<model::TableId> name = read_table_name(t, on);
    if (!name) return std::nullopt;
    return DdlInfo{"CREATE INDEX", {std::move(*name)}};
}

std::optional<DdlInfo> ddl_drop(const Tokens& t, size_t i) {
    if (i < t.size() && is_word(t[i], "TEMPORARY")) return std::nullopt;
    if (i < t.size() && is_word(t[i], "INDEX")) {
        size_t on = find_word(t, i + 1, 0, {"ON"});
        if (on == t.size()) return std::nullopt;
        ++on;
        std::optional<model::TableId> name = read_table_name(t, on);
        if (!name) return std::nullopt;
        return DdlInfo{"DROP INDEX", {std::move(*name)}};
    }
    if (i >= t.size() || !is_word(t[i], "TABLE")) return std::nullopt;
    ++i;
    skip_words(t, i, {"IF", "EXISTS"});
    DdlInfo info{"DROP TABLE", {}};
    read_name_list(t, i, {}, info.tables);
    if (info.tables.empty()) return std::nullopt;
    return info;
}

std::optional<DdlInfo> ddl_tokens(const Tokens& t, size_t i) {
    if (i >= t.size() || t[i].kind != TokenKind::Word) return std::nullopt;
    const Token& first = t[i];
    if (is_word(first, "SET") && i + 1 < t.size() && is_word(t[i + 1], "STATEMENT")) {
        size_t for_word = find_word(t, i + 2, first.depth, {"FOR"});
        if (for_word == t.size()) return std::nullopt;
        return ddl_tokens(t, for_word + 1);
    }
    if (is_word(first, "ALTER")) return ddl_alter(t, i + 1);
    if (is_word(first, "CREATE")) return ddl_create(t, i + 1);
    if (is_word(first, "DROP")) return ddl_drop(t, i + 1);
    if (is_word(first, "RENAME")) {
        size_t j = i + 1;
        if (j < t.size() && (is_word(t[j], "TABLE") || is_word(t[j], "TABLES"))) ++j;
        skip_words(t, j, {"IF", "EXISTS"});
        DdlInfo info{"RENAME TABLE", {}};
        read_name_list(t, j, {"TO", "IF", "EXISTS"}, info.tables);
        if (info.tables.empty()) return std::nullopt;
        return info;
    }
    if (is_word(first, "TRUNCATE")) {
        StatementInfo truncate = classify_truncate(t, i + 1);
        if (truncate.kind != StatementClass::Truncate) return std::nullopt;
        return DdlInfo{"TRUNCATE TABLE", std::move(truncate.tables)};
    }
    return std::nullopt;
}

void merge_tables(std::vector<model::TableId>& into, const std::vector<model::TableId>& more) {
    for (const model::TableId& n : more) {
        if (std::find(into.begin(), into.end(), n) == into.end()) into.push_back(n);
    }
}

}  // namespace

StatementInfo classify_statement(std::string_view sql, std::optional<uint64_t> sql_mode) {
    std::vector<LexMode> modes;
    if (sql_mode) {
        modes.push_back(
            {(*sql_mode & kSqlModeNoBackslashEscapes) == 0, (*sql_mode & kSqlModeAnsiQuotes) != 0});
    } else {
        modes = {{true, false}, {false, false}, {true, true}, {false, true}};
    }
    StatementInfo result;
    bool first = true;
    for (LexMode mode : modes) {
        StatementInfo info = classify_tokens(lex(sql, mode), 0);
        if (first) {
            result = std::move(info);
            first = false;
            continue;
        }
        // Readings differ only in where quoted runs end: keep the most alarming class and
        // every name any reading found.
        if (info.kind == StatementClass::RowChange && result.kind != StatementClass::RowChange) {
            result.kind = StatementClass::RowChange;
            result.verb = info.verb;
        }
        result.any_table = result.any_table || info.any_table;
        merge_tables(result.tables, info.tables);
    }
    return result;
}

std::optional<DdlInfo> classify_ddl(std::string_view sql, std::optional<uint64_t> sql_mode) {
    // A DDL's names are not inside strings: one reading is enough (the event's sql_mode, else
    // the default one).
    LexMode mode;
    if (sql_mode) {
        mode = {(*sql_mode & kSqlModeNoBackslashEscapes) == 0,
                (*sql_mode & kSqlModeAnsiQuotes) != 0};
    }
    return ddl_tokens(lex(sql, mode), 0);
}

}  // namespace cdc::binlog
