#include "config/environment.h"

#include <unistd.h>

#include <cctype>
#include <fstream>
#include <optional>
#include <sstream>

#include "config/value_parsers.h"

namespace cdc::config {
namespace {

bool is_key_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool is_key_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

std::string_view lookup(const EnvMap& env, std::string_view name) {
    auto it = env.find(name);
    return it == env.end() ? std::string_view() : std::string_view(it->second);
}

// `${NAME}` and `${NAME:-default}`, looked up in the real environment first, then in the lines
// above: the same order python-dotenv uses when it does not override the environment.
std::string expand(std::string_view value, const EnvMap& outer, const EnvMap& earlier) {
    std::string out;
    while (!value.empty()) {
        std::size_t start = value.find("${");
        std::size_t close = start == std::string_view::npos ? start : value.find('}', start);
        if (close == std::string_view::npos) break;
        out += value.substr(0, start);
        std::string_view body = value.substr(start + 2, close - start - 2);
        std::size_t sep = body.find(":-");
        std::string_view name = body.substr(0, sep);
        std::string_view fallback = sep == std::string_view::npos ? "" : body.substr(sep + 2);
        std::string_view found = lookup(outer, name);
        if (found.empty()) found = lookup(earlier, name);
        out += found.empty() ? fallback : found;
        value.remove_prefix(close + 1);
    }
    out += value;
    return out;
}

char unescape(char c) {
    switch (c) {
        case 'n': return '\n';
        case 't': return '\t';
        case 'r': return '\r';
        default: return c;  // \" \\ \' and anything else: the character itself
    }
}

// Only whitespace or a comment may follow a closing quote.
bool only_comment_left(std::string_view rest) {
    rest = trim(rest);
    return rest.empty() || rest.front() == '#';
}

struct ParsedValue {
    std::string text;
    bool expand = true;
};

// Returns the problem as text on failure.
std::variant<ParsedValue, std::string> parse_value(std::string_view v) {
    if (v.starts_with('\'')) {
        std::size_t close = v.find('\'', 1);
        if (close == std::string_view::npos) return std::string("unterminated single quote");
        if (!only_comment_left(v.substr(close + 1))) return std::string("text after the quote");
        return ParsedValue{std::string(v.substr(1, close - 1)), false};
    }
    if (v.starts_with('"')) {
        std::string out;
        for (std::size_t i = 1; i < v.size(); ++i) {
            if (v[i] == '\\' && i + 1 < v.size()) {
                out += unescape(v[++i]);
            } else if (v[i] == '"') {
                if (!only_comment_left(v.substr(i + 1))) return std::string("text after the quote");
                return ParsedValue{out, true};
            } else {
                out += v[i];
            }
        }
        return std::string("unterminated double quote");
    }
    // Unquoted: a '#' after whitespace starts a comment; one inside a word (a password) does not.
    for (std::size_t i = 1; i < v.size(); ++i) {
        if (v[i] == '#' && (v[i - 1] == ' ' || v[i - 1] == '\t')) v = v.substr(0, i);
    }
    if (v.starts_with('#')) v = {};
    return ParsedValue{std::string(trim(v)), true};
}

struct Assignment {
    std::string key;
    ParsedValue value;
};

// monostate for a blank or comment line; the problem text for a malformed one.
std::variant<std::monostate, Assignment, std::string> parse_line(std::string_view line) {
    line = trim(line);
    if (line.empty() || line.front() == '#') return std::monostate{};
    if (line.starts_with("export ") || line.starts_with("export\t")) line = trim(line.substr(7));
    std::size_t eq = line.find('=');
    if (eq == std::string_view::npos) return std::string("no '=' in the line");
    std::string_view key = trim(line.substr(0, eq));
    bool key_ok = !key.empty() && is_key_start(key.front());
    for (char c : key) key_ok = key_ok && is_key_char(c);
    if (!key_ok) return std::string("the name before '=' is not a valid variable name");
    auto value = parse_value(trim(line.substr(eq + 1)));
    if (auto* problem = std::get_if<std::string>(&value)) return *problem;
    return Assignment{std::string(key), std::get<ParsedValue>(std::move(value))};
}

}  // namespace

Result<EnvMap> parse_dotenv(std::string_view text, std::string_view source, const EnvMap& outer) {
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // a UTF-8 BOM from editors
    EnvMap values;
    std::size_t line_no = 0;
    while (!text.empty()) {
        ++line_no;
        std::size_t nl = text.find('\n');
        std::string_view line = text.substr(0, nl);
        text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
        auto parsed = parse_line(line);
        if (auto* problem = std::get_if<std::string>(&parsed)) {
            return make_error(Errc::InvalidArgument,
                              std::string(source) + ":" + std::to_string(line_no) + ": " +
                                  *problem + ": expected KEY=VALUE, a # comment or a blank line");
        }
        if (auto* a = std::get_if<Assignment>(&parsed)) {
            values[a->key] = a->value.expand ? expand(a->value.text, outer, values)
                                             : std::move(a->value.text);
        }
    }
    return values;
}

Result<EnvMap> read_dotenv_file(const std::filesystem::path& path, const EnvMap& outer) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) return EnvMap{};
    std::ifstream in(path, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    if (!in) {
        return make_error(Errc::InvalidArgument,
                          path.string() + " exists but cannot be read: check its permissions");
    }
    return parse_dotenv(buffer.str(), path.string(), outer);
}

EnvMap merge_environment(const EnvMap& outer, const EnvMap& dotenv) {
    EnvMap merged = dotenv;
    for (const auto& [key, value] : outer) merged[key] = value;
    return merged;
}

Result<EnvMap> environment_from_process(const std::filesystem::path& dotenv_path,
                                        NameSet* dotenv_keys) {
    EnvMap outer;
    for (char** e = ::environ; e != nullptr && *e != nullptr; ++e) {
        std::string_view entry(*e);
        std::size_t eq = entry.find('=');
        if (eq == std::string_view::npos) continue;
        outer.emplace(std::string(entry.substr(0, eq)), std::string(entry.substr(eq + 1)));
    }
    Result<EnvMap> dotenv = read_dotenv_file(dotenv_path, outer);
    if (!dotenv) return dotenv.error();
    if (dotenv_keys != nullptr) {
        for (const auto& entry : *dotenv) dotenv_keys->insert(entry.first);
    }
    return merge_environment(outer, *dotenv);
}

}  // namespace cdc::config
