#include "config/value_parsers.h"

#include <array>
#include <cctype>
#include <charconv>

namespace cdc::config {

std::string_view trim(std::string_view s) {
    auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    return s;
}

std::string to_lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::optional<bool> parse_bool(std::string_view text) {
    std::string t = to_lower(trim(text));
    if (t == "true" || t == "1" || t == "yes" || t == "on") return true;
    if (t == "false" || t == "0" || t == "no" || t == "off") return false;
    return std::nullopt;
}

NumberResult parse_integer(std::string_view text, std::int64_t min, std::int64_t max) {
    text = trim(text);
    bool negative = text.starts_with('-');
    std::string_view digits = negative ? text.substr(1) : text;
    if (digits.empty() || !std::isdigit(static_cast<unsigned char>(digits.front()))) {
        return NumberProblem::NotANumber;
    }
    std::uint64_t value = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (end != digits.data() + digits.size()) return NumberProblem::NotANumber;
    // A minus sign on a valid number, or a number too big for 64 bits, is a range problem:
    // the user wrote a number, just not an acceptable one.
    if (negative || ec == std::errc::result_out_of_range) return NumberProblem::OutOfRange;
    if (value > static_cast<std::uint64_t>(max) || static_cast<std::int64_t>(value) < min) {
        return NumberProblem::OutOfRange;
    }
    return static_cast<std::int64_t>(value);
}

NumberResult parse_size(std::string_view text, std::int64_t min, std::int64_t max) {
    text = trim(text);
    std::size_t n = 0;
    while (n < text.size() && std::isdigit(static_cast<unsigned char>(text[n]))) ++n;
    std::string suffix = to_lower(trim(text.substr(n)));
    std::int64_t unit = 1;
    if (suffix == "kib") {
        unit = 1024;
    } else if (suffix == "mib") {
        unit = 1024 * 1024;
    } else if (suffix == "gib") {
        unit = 1024 * 1024 * 1024;
    } else if (!suffix.empty()) {
        return NumberProblem::NotANumber;
    }
    NumberResult count = parse_integer(text.substr(0, n), 0, max);
    if (const auto* p = std::get_if<NumberProblem>(&count)) return *p;
    std::int64_t c = std::get<std::int64_t>(count);
    if (c > max / unit || c * unit < min) return NumberProblem::OutOfRange;
    return c * unit;
}

std::optional<std::size_t> parse_choice(std::string_view text, std::string_view choices) {
    std::string t = to_lower(trim(text));
    std::size_t index = 0;
    while (true) {
        std::size_t bar = choices.find('|');
        if (choices.substr(0, bar) == t) return index;
        if (bar == std::string_view::npos) return std::nullopt;
        choices.remove_prefix(bar + 1);
        ++index;
    }
}

std::string_view choice_at(std::string_view choices, std::size_t index) {
    for (; index > 0; --index) {
        std::size_t bar = choices.find('|');
        if (bar == std::string_view::npos) return "?";
        choices.remove_prefix(bar + 1);
    }
    return choices.substr(0, choices.find('|'));
}

std::vector<std::string> split_list(std::string_view text) {
    std::vector<std::string> items;
    while (true) {
        std::size_t comma = text.find(',');
        items.emplace_back(trim(text.substr(0, comma)));
        if (comma == std::string_view::npos) return items;
        text.remove_prefix(comma + 1);
    }
}

std::variant<model::TableId, std::string> parse_table_item(std::string_view item) {
    std::size_t dot = item.find('.');
    if (dot == std::string_view::npos) return model::TableId{"", std::string(item)};
    if (item.find('.', dot + 1) != std::string_view::npos) {
        return std::string("has more than one dot");
    }
    std::string_view schema = trim(item.substr(0, dot));
    std::string_view table = trim(item.substr(dot + 1));
    if (schema.empty()) return std::string("has an empty schema name");
    if (table.empty()) return std::string("has an empty table name");
    return model::TableId{std::string(schema), std::string(table)};
}

namespace {

bool is_topic_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
}

}  // namespace

bool is_valid_topic_name(std::string_view name) {
    if (name.empty() || name.size() > 249 || name == "." || name == "..") return false;
    for (char c : name) {
        if (!is_topic_char(c)) return false;
    }
    return true;
}

std::string topic_template_problem(std::string_view templ) {
    bool has_placeholder = false;
    for (std::size_t i = 0; i < templ.size(); ++i) {
        if (templ[i] == '{') {
            std::size_t close = templ.find('}', i);
            if (close == std::string_view::npos) return "has an unclosed {";
            std::string_view name = templ.substr(i, close - i + 1);
            if (name != "{schema}" && name != "{table}") {
                return "has an unknown placeholder " + std::string(name);
            }
            has_placeholder = true;
            i = close;
        } else if (templ[i] == '}') {
            return "has a } without {";
        } else if (!is_topic_char(templ[i])) {
            return "has a character not allowed in topic names";
        }
    }
    if (!has_placeholder) return "has no {schema} or {table} placeholder";
    return "";
}

}  // namespace cdc::config
