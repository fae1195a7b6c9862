#include "stream/table_ddl.h"

#include <strings.h>

#include <optional>
#include <string>

namespace cdc::stream {
namespace {

// A minimal lexer: identifiers (bare or `quoted`) and single punctuation characters.
class Tokens {
public:
    explicit Tokens(std::string_view sql) : sql_(sql) {}

    // The next token; `quoted` tells a `name` from a keyword. Empty at the end.
    std::string next(bool* quoted = nullptr) {
        skip_space_and_comments();
        if (quoted) *quoted = false;
        if (i_ >= sql_.size()) return {};
        char c = sql_[i_];
        if (c == '`') {
            if (quoted) *quoted = true;
            std::string name;
            for (++i_; i_ < sql_.size(); ++i_) {
                if (sql_[i_] == '`') {
                    if (i_ + 1 < sql_.size() && sql_[i_ + 1] == '`') {
                        name += '`';
                        ++i_;
                        continue;
                    }
                    ++i_;
                    break;
                }
                name += sql_[i_];
            }
            return name;
        }
        if (is_word(c)) {
            size_t start = i_;
            while (i_ < sql_.size() && is_word(sql_[i_])) ++i_;
            return std::string(sql_.substr(start, i_ - start));
        }
        ++i_;
        return std::string(1, c);
    }

    // Whether the next token is `word` (a keyword, any case); consumes it if so.
    bool accept(std::string_view word) {
        size_t saved = i_;
        bool quoted = false;
        std::string t = next(&quoted);
        if (!quoted && t.size() == word.size() &&
            strncasecmp(t.data(), word.data(), word.size()) == 0) {
            return true;
        }
        i_ = saved;
        return false;
    }

    // [schema.]name, the schema defaulting to `default_schema`.
    std::optional<model::TableId> table_name(std::string_view default_schema) {
        std::string first = next();
        if (first.empty()) return std::nullopt;
        if (accept(".")) {
            std::string second = next();
            if (second.empty()) return std::nullopt;
            return model::TableId{first, second};
        }
        return model::TableId{std::string(default_schema), first};
    }

private:
    static bool is_word(char c) {
        unsigned char u = static_cast<unsigned char>(c);
        return (u >= '0' && u <= '9') || (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') ||
               u == '_' || u == '$' || u >= 0x80;
    }

    void skip_space_and_comments() {
        while (i_ < sql_.size()) {
            char c = sql_[i_];
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                ++i_;
            } else if (sql_.substr(i_, 2) == "/*" && sql_.substr(i_, 3) != "/*!" &&
                       sql_.substr(i_, 4) != "/*M!") {
                size_t end = sql_.find("*/", i_ + 2);
                i_ = end == std::string_view::npos ? sql_.size() : end + 2;
            } else if (c == '#' || sql_.substr(i_, 3) == "-- ") {
                size_t end = sql_.find('\n', i_);
                i_ = end == std::string_view::npos ? sql_.size() : end + 1;
            } else {
                return;
            }
        }
    }

    std::string_view sql_;
    size_t i_ = 0;
};

}  // namespace

TableDdl read_table_ddl(std::string_view sql, std::string_view default_schema) {
    TableDdl ddl;
    Tokens t(sql);
    if (t.accept("CREATE")) {
        if (t.accept("OR") && !t.accept("REPLACE")) return ddl;
        if (t.accept("TEMPORARY") || !t.accept("TABLE")) return ddl;
        if (t.accept("IF") && !(t.accept("NOT") && t.accept("EXISTS"))) return ddl;
        if (auto name = t.table_name(default_schema)) ddl.created.push_back(std::move(*name));
        return ddl;
    }
    if (t.accept("RENAME")) {
        if (!t.accept("TABLE") && !t.accept("TABLES")) return ddl;
        do {
            if (t.accept("IF")) t.accept("EXISTS");  // MariaDB's RENAME TABLE IF EXISTS
            auto from = t.table_name(default_schema);
            if (!from || !t.accept("TO")) return ddl;
            auto to = t.table_name(default_schema);
            if (!to) return ddl;
            ddl.renamed.emplace_back(std::move(*from), std::move(*to));
        } while (t.accept(","));
    }
    return ddl;
}

}  // namespace cdc::stream
