#include "state/state_names.h"

#include <algorithm>
#include <cstdint>

namespace cdc::state {
namespace {

constexpr const char* kPrefix = "binlog_position_";
constexpr const char* kSuffix = ".json";

// FNV-1a: small and fixed across builds, so a long name's file is found again after an upgrade.
uint64_t fnv1a(const std::string& text) {
    uint64_t h = 14695981039346656037ull;
    for (unsigned char c : text) {
        h ^= c;
        h *= 1099511628211ull;
    }
    return h;
}

// The longest prefix of `s` of at most `limit` bytes that does not cut an escape or a UTF-8
// sequence.
std::string cut(const std::string& s, size_t limit) {
    if (s.size() <= limit) return s;
    size_t end = limit;
    while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
    if (end >= 1 && s[end - 1] == '%') end -= 1;
    if (end >= 2 && s[end - 2] == '%') end -= 2;
    return s.substr(0, end);
}

std::vector<std::string> split_plus(const std::string& s) {
    std::vector<std::string> out;
    size_t from = 0;
    while (true) {
        size_t plus = s.find('+', from);
        out.push_back(s.substr(from, plus == std::string::npos ? std::string::npos : plus - from));
        if (plus == std::string::npos) return out;
        from = plus + 1;
    }
}

bool contains(const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace

std::string single_table_file_name(const model::TableId& table) {
    std::string body =
        model::escape_file_name(table.schema) + "_" + model::escape_file_name(table.table);
    std::string name = kPrefix + body + kSuffix;
    if (name.size() <= kMaxFileNameBytes) return name;
    static constexpr char kLower[] = "0123456789abcdef";
    std::string hash;
    uint64_t h = fnv1a(table.schema + '\0' + table.table);
    for (int shift = 60; shift >= 0; shift -= 4) hash += kLower[(h >> shift) & 15];
    const size_t room = kMaxFileNameBytes - std::char_traits<char>::length(kPrefix) -
                        std::char_traits<char>::length(kSuffix) - 2 - hash.size();
    return kPrefix + cut(body, room) + "%%" + hash + kSuffix;
}

std::vector<model::TableId> parse_legacy_name(const std::string& file_name,
                                              const std::vector<std::string>& schemas,
                                              const std::vector<model::TableId>& wanted_ids) {
    // Matched as "schema.table" texts, as the names were made; read back at the end.
    std::vector<std::string> wanted;
    for (const model::TableId& t : wanted_ids) wanted.push_back(t.qualified());
    const std::string prefix = kPrefix;
    const std::string suffix = kSuffix;
    if (file_name.size() <= prefix.size() + suffix.size() ||
        file_name.compare(0, prefix.size(), prefix) != 0 ||
        file_name.compare(file_name.size() - suffix.size(), suffix.size(), suffix) != 0) {
        return {};
    }
    std::string raw =
        file_name.substr(prefix.size(), file_name.size() - prefix.size() - suffix.size());
    std::vector<std::string> bodies{raw};
    std::string unescaped;
    if (model::unescape_file_name(raw, unescaped) && unescaped != raw) bodies.push_back(unescaped);
    for (const std::string& body : bodies) {
        for (const std::string& schema : schemas) {
            if (body.size() <= schema.size() + 1 || body.compare(0, schema.size(), schema) != 0 ||
                body[schema.size()] != '_') {
                continue;
            }
            std::string rest = body.substr(schema.size() + 1);
            // One table of that name (it may contain '+'), else the '+'-joined list of
            // mysql-cdc before the multi-table layout.
            if (contains(wanted, schema + "." + rest)) {
                return {model::TableId::from_qualified(schema + "." + rest)};
            }
            std::vector<model::TableId> tables;
            bool any_wanted = false;
            for (const std::string& item : split_plus(rest)) {
                if (item.empty()) {
                    tables.clear();
                    break;
                }
                std::string qualified = item;
                if (!contains(wanted, schema + "." + item) && item.find('.') != std::string::npos) {
                    qualified = item;
                } else {
                    qualified = schema + "." + item;
                }
                any_wanted = any_wanted || contains(wanted, qualified);
                tables.push_back(model::TableId::from_qualified(qualified));
            }
            if (any_wanted) return tables;
        }
    }
    return {};
}

}  // namespace cdc::state
