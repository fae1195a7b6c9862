#include "mysql/grants.h"

#include <algorithm>
#include <cctype>
#include <optional>

namespace cdc::mysql {
namespace {

std::string upper_trimmed(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    std::string out;
    bool space = false;
    for (char c : s) {  // collapse inner whitespace: "REPLICATION  SLAVE" -> one space
        if (std::isspace(static_cast<unsigned char>(c))) {
            space = true;
            continue;
        }
        if (space && !out.empty()) out += ' ';
        space = false;
        out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return out;
}

// Position of keyword `kw` (" ON ", " TO ") outside quotes, backticks and parentheses.
std::optional<size_t> find_top_level(std::string_view s, std::string_view kw, size_t from = 0) {
    char quote = 0;
    int depth = 0;
    for (size_t i = from; i < s.size(); ++i) {
        const char c = s[i];
        if (quote != 0) {
            if (c == quote) quote = 0;
            continue;
        }
        if (c == '`' || c == '\'' || c == '"') quote = c;
        else if (c == '(') ++depth;
        else if (c == ')') --depth;
        else if (depth == 0 && i + kw.size() <= s.size() &&
                 upper_trimmed(s.substr(i, kw.size())) == upper_trimmed(kw) &&
                 std::isspace(static_cast<unsigned char>(s[i])) &&
                 std::isspace(static_cast<unsigned char>(s[i + kw.size() - 1]))) {
            return i;
        }
    }
    return std::nullopt;
}

// Splits "SELECT (a, b), INSERT, REPLICATION SLAVE" at top-level commas. Column grants
// ("SELECT (a, b)") do not cover a whole table, so they are dropped.
std::set<std::string> split_privileges(std::string_view list) {
    std::set<std::string> out;
    int depth = 0;
    size_t start = 0;
    bool has_columns = false;
    for (size_t i = 0; i <= list.size(); ++i) {
        const char c = i < list.size() ? list[i] : ',';
        if (c == '(') {
            ++depth;
            has_columns = true;
        } else if (c == ')') {
            --depth;
        } else if (c == ',' && depth == 0) {
            std::string p = canonical_privilege(list.substr(start, i - start));
            if (!p.empty() && !has_columns) out.insert(std::move(p));
            start = i + 1;
            has_columns = false;
        }
    }
    return out;
}

// Reads one identifier (`quoted` with `` escapes, or bare) from the front of s.
std::string read_ident(std::string_view& s) {
    std::string out;
    if (!s.empty() && s.front() == '`') {
        size_t i = 1;
        for (; i < s.size(); ++i) {
            if (s[i] == '`') {
                if (i + 1 < s.size() && s[i + 1] == '`') {
                    out += '`';
                    ++i;
                    continue;
                }
                break;
            }
            out += s[i];
        }
        s.remove_prefix(std::min(i + 1, s.size()));
        return out;
    }
    size_t i = 0;
    while (i < s.size() && s[i] != '.' && !std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    out = std::string(s.substr(0, i));
    s.remove_prefix(i);
    return out;
}

}  // namespace

std::string canonical_privilege(std::string_view name) {
    std::string p = upper_trimmed(name);
    if (p == "ALL") return "ALL PRIVILEGES";
    if (p == "REPLICATION REPLICA") return "REPLICATION SLAVE";
    return p;
}

bool like_match(std::string_view pattern, std::string_view text) {
    if (pattern.empty()) return text.empty();
    const char c = pattern.front();
    if (c == '%') {
        for (size_t i = 0; i <= text.size(); ++i) {
            if (like_match(pattern.substr(1), text.substr(i))) return true;
        }
        return false;
    }
    if (text.empty()) return false;
    if (c == '\\' && pattern.size() > 1) {
        return pattern[1] == text.front() && like_match(pattern.substr(2), text.substr(1));
    }
    if (c == '_' || c == text.front()) return like_match(pattern.substr(1), text.substr(1));
    return false;
}

void GrantSet::add_line(std::string_view line) {
    if (upper_trimmed(line.substr(0, 6)) != "GRANT") return;
    line.remove_prefix(6);
    const auto on = find_top_level(line, " ON ");
    if (!on) return;  // a role grant: "GRANT `role` TO `user`@`host`"
    const auto to = find_top_level(line, " TO ", *on + 1);
    if (!to) return;
    std::set<std::string> privs = split_privileges(line.substr(0, *on));
    std::string_view target = line.substr(*on + 4, *to - *on - 4);
    while (!target.empty() && std::isspace(static_cast<unsigned char>(target.front()))) {
        target.remove_prefix(1);
    }
    const std::string head = upper_trimmed(target.substr(0, target.find(' ')));
    if (head == "FUNCTION" || head == "PROCEDURE" || head == "PACKAGE" || privs.count("PROXY")) {
        return;
    }
    std::string db = read_ident(target);
    if (target.empty() || target.front() != '.') return;
    target.remove_prefix(1);
    std::string table = read_ident(target);
    if (db == "*" && table == "*") {
        global_.insert(privs.begin(), privs.end());
    } else if (table == "*") {
        databases_.emplace_back(std::move(db), std::move(privs));
    } else {
        tables_[model::TableId{std::move(db), std::move(table)}].insert(privs.begin(), privs.end());
    }
}

bool GrantSet::covers(const std::set<std::string>& privs, std::string_view privilege) {
    return privs.count("ALL PRIVILEGES") > 0 || privs.count(canonical_privilege(privilege)) > 0;
}

bool GrantSet::has_global(std::string_view privilege) const { return covers(global_, privilege); }

bool GrantSet::has_on_table(std::string_view privilege, const model::TableId& table) const {
    if (covers(global_, privilege)) return true;
    for (const auto& [pattern, privs] : databases_) {
        if (covers(privs, privilege) && like_match(pattern, table.schema)) return true;
    }
    auto it = tables_.find(table);
    return it != tables_.end() && covers(it->second, privilege);
}

GrantSet parse_grants(const std::vector<std::string>& lines) {
    GrantSet g;
    for (const auto& l : lines) g.add_line(l);
    return g;
}

std::string Account::quoted() const { return "'" + user + "'@'" + host + "'"; }

Account parse_account(std::string_view current_user) {
    const size_t at = current_user.rfind('@');
    if (at == std::string_view::npos) return {std::string(current_user), "%"};
    return {std::string(current_user.substr(0, at)), std::string(current_user.substr(at + 1))};
}

}  // namespace cdc::mysql
