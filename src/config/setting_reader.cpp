#include "config/setting_reader.h"

#include <filesystem>
#include <variant>

#include "config/value_parsers.h"

namespace cdc::config {

std::string SettingReader::text(SettingId id) const {
    const SettingSpec& spec = setting(id);
    const RawValue& r = raw(id);
    if (!r.text.empty()) return spec.secret() ? r.text : std::string(trim(r.text));
    if (spec.default_kind == DefaultKind::Literal) return std::string(spec.default_text);
    return "";
}

std::string SettingReader::required_text(SettingId id) {
    std::string value = text(id);
    if (value.empty()) {
        const SettingSpec& spec = setting(id);
        fail_line(std::string(spec.env) + " is required but not set (flag --" +
                  std::string(spec.flag) + "): " + std::string(spec.description));
    }
    return value;
}

std::int64_t SettingReader::number(SettingId id) {
    const SettingSpec& spec = setting(id);
    std::string value = text(id);
    NumberResult parsed = spec.type == SettingType::Size
                              ? parse_size(value, spec.min, spec.max)
                              : parse_integer(value, spec.min, spec.max);
    if (const auto* n = std::get_if<std::int64_t>(&parsed)) return *n;
    bool not_a_number = std::get<NumberProblem>(parsed) == NumberProblem::NotANumber;
    fail(id, not_a_number ? (spec.type == SettingType::Size ? "is not a size" : "is not a number")
                          : "is out of range");
    // The default (validated by the tests) keeps later code on a sane value.
    auto fallback = parse_size(spec.default_text, spec.min, spec.max);
    const auto* n = std::get_if<std::int64_t>(&fallback);
    return n != nullptr ? *n : spec.min;
}

bool SettingReader::boolean(SettingId id) {
    std::optional<bool> b = parse_bool(text(id));
    if (b) return *b;
    fail(id, "is not a boolean");
    return false;
}

std::size_t SettingReader::choice(SettingId id) {
    const SettingSpec& spec = setting(id);
    std::optional<std::size_t> index = parse_choice(text(id), spec.choices);
    if (index) return *index;
    fail(id, "is not accepted");
    return parse_choice(spec.default_text, spec.choices).value_or(0);
}

std::string SettingReader::existing_file(SettingId id) {
    std::string path = text(id);
    if (path.empty()) return path;
    std::error_code ec;
    auto status = std::filesystem::status(path, ec);
    if (!std::filesystem::exists(status)) {
        fail(id, "does not exist");
    } else if (std::filesystem::is_directory(status)) {
        fail(id, "is a directory");
    }
    return path;
}

void SettingReader::fail(SettingId id, std::string_view problem, std::string_view expected) {
    const SettingSpec& spec = setting(id);
    const RawValue& r = raw(id);
    std::string name;
    std::string other;
    switch (r.source) {
        case ValueSource::Flag:
            name = "--" + std::string(spec.flag);
            other = "env " + std::string(spec.env);
            break;
        case ValueSource::AltEnvironment:
            name = std::string(spec.alt_env);
            other = "flag --" + std::string(spec.flag);
            break;
        default:
            name = std::string(spec.env);
            other = "flag --" + std::string(spec.flag);
            break;
    }
    std::string message = name;
    if (!spec.secret()) message += "=" + text(id);
    message += " " + std::string(problem) + ": expected ";
    message += expected.empty() ? accepted_values(spec) : std::string(expected);
    message += " (" + other + ")";
    errors_.push_back(std::move(message));
}

std::string SettingReader::both_names(SettingId id) {
    const SettingSpec& spec = setting(id);
    return std::string(spec.env) + " (flag --" + std::string(spec.flag) + ")";
}

}  // namespace cdc::config
