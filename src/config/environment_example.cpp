// The example environment file: every setting commented out, with what it does, what it
// accepts and its default, grouped as in docs/CONFIGURATION.md.
#include <string>
#include <string_view>

#include "config/config_doc.h"
#include "config/settings.h"

namespace cdc::config {
namespace {

constexpr std::string_view kHead =
    R"(# mysql-cdc settings: KEY=VALUE lines, read by the systemd unit (EnvironmentFile=) and, as
# .env, by a mysql-cdc started in this directory. Every setting is listed, commented out; set
# at least the required ones. Generated from src/config/settings.cpp by
# `mysql-cdc --print-env-example`; the reference is docs/CONFIGURATION.md.
#
# The password is read from here: keep this file readable by root only (mode 0600).
# systemd reads these lines without ${NAME} expansion and without `export`: write plain
# KEY=VALUE lines (a value may be in quotes).
)";

// A description wrapped to comment lines of at most ~96 characters.
std::string comment_block(std::string_view text) {
    std::string out;
    std::string line = "#";
    size_t start = 0;
    while (start < text.size()) {
        size_t end = text.find(' ', start);
        if (end == std::string_view::npos) end = text.size();
        std::string_view word = text.substr(start, end - start);
        if (line.size() > 1 && line.size() + 1 + word.size() > 96) {
            out += line + "\n";
            line = "#";
        }
        line += " ";
        line += word;
        start = end + 1;
    }
    if (line.size() > 1) out += line + "\n";
    return out;
}

std::string example_entry(const SettingSpec& spec) {
    std::string about =
        std::string(spec.description) + ". Accepted: " + accepted_values(spec) + ".";
    if (spec.required) {
        about += " Required.";
    } else if (spec.default_kind == DefaultKind::Derived) {
        about += " Default: " + std::string(spec.default_text) + ".";
    }
    if (!spec.alt_env.empty()) about += " Also read as " + std::string(spec.alt_env) + ".";
    std::string value =
        spec.default_kind == DefaultKind::Literal ? std::string(spec.default_text) : std::string();
    return "\n" + comment_block(about) + "#" + std::string(spec.env) + "=" + value + "\n";
}

}  // namespace

std::string environment_example() {
    std::string text(kHead);
    for (std::string_view group : setting_groups()) {
        text += "\n## " + std::string(group) + "\n";
        for (const SettingSpec& spec : all_settings()) {
            if (spec.group == group) text += example_entry(spec);
        }
    }
    return text;
}

}  // namespace cdc::config
