// Internal to config/: reads typed values out of RawValues, falling back to the table's literal
// default, and collects one message per problem. A value that fails to parse yields its default
// so building can go on and report every bad value at once.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "config/config_builder.h"

namespace cdc::config {

class SettingReader {
public:
    explicit SettingReader(const RawValues& raw) : raw_(raw) {}

    bool given(SettingId id) const { return !raw(id).text.empty(); }

    // The given text (trimmed unless secret), else the literal default, else "".
    std::string text(SettingId id) const;
    // Like text(), but reports a missing value when the setting is empty.
    std::string required_text(SettingId id);
    std::int64_t number(SettingId id);     // Integer and Size settings
    bool boolean(SettingId id);
    std::size_t choice(SettingId id);      // index into the setting's choices
    std::string existing_file(SettingId id);  // "" when not given

    // "<NAME>=<value> <problem>: expected <expected> (flag --x)", naming the variable or flag
    // the value came from and never echoing a secret. `expected` defaults to the table's text.
    void fail(SettingId id, std::string_view problem, std::string_view expected = {});
    // A problem that spans settings, already worded.
    void fail_line(std::string message) { errors_.push_back(std::move(message)); }

    // "MYSQL_HOST (flag --mysql-host)": how messages about a setting's absence name it.
    static std::string both_names(SettingId id);

    bool has_errors() const { return !errors_.empty(); }
    const std::vector<std::string>& errors() const { return errors_; }

private:
    const RawValue& raw(SettingId id) const { return raw_[static_cast<std::size_t>(id)]; }

    const RawValues& raw_;
    std::vector<std::string> errors_;
};

}  // namespace cdc::config
