#include "metrics/exposition.h"

#include <charconv>
#include <cmath>

namespace cdc::metrics {

void append_label_value(std::string& out, std::string_view value) {
    for (char c : value) {
        switch (c) {
            case '\\': out += "\\\\"; break;
            case '"': out += "\\\""; break;
            case '\n': out += "\\n"; break;
            default: out += c;
        }
    }
}

void append_help(std::string& out, std::string_view help) {
    for (char c : help) {
        switch (c) {
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            default: out += c;
        }
    }
}

void append_value(std::string& out, double value) {
    if (std::isnan(value)) {
        out += "NaN";
        return;
    }
    if (std::isinf(value)) {
        out += value > 0 ? "+Inf" : "-Inf";
        return;
    }
    char buf[32];
    // Counters are integers: written whole up to 2^53, where doubles stop being exact.
    std::to_chars_result r = std::abs(value) < 9007199254740992.0 && value == std::floor(value)
                                 ? std::to_chars(buf, buf + sizeof buf, static_cast<int64_t>(value))
                                 : std::to_chars(buf, buf + sizeof buf, value);
    out.append(buf, r.ptr);
}

void Exposition::family(std::string_view name, std::string_view type, std::string_view help) {
    text_ += "# HELP ";
    text_ += name;
    text_ += ' ';
    append_help(text_, help);
    text_ += "\n# TYPE ";
    text_ += name;
    text_ += ' ';
    text_ += type == "info" ? "gauge" : type;
    text_ += '\n';
}

void Exposition::sample(std::string_view name, std::initializer_list<Label> labels, double value) {
    text_ += name;
    if (labels.size() > 0) {
        text_ += '{';
        bool first = true;
        for (const Label& l : labels) {
            if (!first) text_ += ',';
            first = false;
            text_ += l.first;
            text_ += "=\"";
            append_label_value(text_, l.second);
            text_ += '"';
        }
        text_ += '}';
    }
    text_ += ' ';
    append_value(text_, value);
    text_ += '\n';
}

void Exposition::single(std::string_view name, std::string_view type, std::string_view help,
                        double value) {
    family(name, type, help);
    sample(name, value);
}

}  // namespace cdc::metrics
