#include "config/unknown_settings.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

#include "config/settings.h"

namespace cdc::config {
namespace {

// Prefixes that mark a name as meant for us. Deliberately not derived from the table: INITIAL_,
// FORCE_ or SKIP_ begin other programs' variables too (FORCE_COLOR).
constexpr std::array<std::string_view, 9> kOurPrefixes = {
    "MYSQL_", "KAFKA_", "SNAPSHOT_", "STATE_", "OUTPUT", "FLUSH_", "LOG_", "METRICS_", "QUIX__"};

constexpr std::array<std::string_view, 30> kNotOurs = {
    // MySQL/MariaDB command-line clients and libraries
    "MYSQL_PWD", "MYSQL_HOME", "MYSQL_HISTFILE", "MYSQL_HISTIGNORE", "MYSQL_PS1", "MYSQL_TCP_PORT",
    "MYSQL_UNIX_PORT", "MYSQL_TEST_LOGIN_FILE", "MYSQL_DEBUG", "MYSQL_GROUP_SUFFIX",
    // the official MySQL/MariaDB container images
    "MYSQL_ROOT_PASSWORD", "MYSQL_ROOT_HOST", "MYSQL_ALLOW_EMPTY_PASSWORD",
    "MYSQL_RANDOM_ROOT_PASSWORD", "MYSQL_ONETIME_PASSWORD", "MYSQL_INITDB_SKIP_TZINFO",
    "MYSQL_MAJOR", "MYSQL_VERSION",
    // Kafka's shell scripts and container images
    "KAFKA_HOME", "KAFKA_HEAP_OPTS", "KAFKA_OPTS", "KAFKA_JVM_PERFORMANCE_OPTS", "KAFKA_LOG4J_OPTS",
    "KAFKA_JMX_OPTS", "KAFKA_GC_LOG_OPTS", "KAFKA_DEBUG", "KAFKA_VERSION", "KAFKA_CLUSTER_ID",
    "LOG_DIR",
    // systemd (StateDirectory=)
    "STATE_DIRECTORY"};

// Names people reach for that are far from ours by spelling.
constexpr std::array<std::pair<std::string_view, SettingId>, 6> kSynonyms = {{
    {"KAFKA_TOPIC", SettingId::Output},
    {"TOPIC", SettingId::Output},
    {"OUTPUT_TOPIC", SettingId::Output},
    {"KAFKA_BOOTSTRAP_SERVERS", SettingId::KafkaBrokers},
    {"BOOTSTRAP_SERVERS", SettingId::KafkaBrokers},
    {"STATE_DIR", SettingId::StateDir},
}};

char upper(char c) { return static_cast<char>(std::toupper(static_cast<unsigned char>(c))); }

std::string upper(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](char c) { return upper(c); });
    return out;
}

bool same_ignoring_case(std::string_view a, std::string_view b) { return upper(a) == upper(b); }

// Every name the table answers to, in table order.
std::vector<std::string_view> setting_names() {
    std::vector<std::string_view> names;
    for (const SettingSpec& spec : all_settings()) {
        names.push_back(spec.env);
        if (!spec.alt_env.empty()) names.push_back(spec.alt_env);
    }
    return names;
}

bool is_setting(std::string_view name) {
    for (std::string_view s : setting_names()) {
        if (s == name) return true;
    }
    return false;
}

bool has_our_prefix(std::string_view name) {
    const std::string u = upper(name);
    return std::any_of(kOurPrefixes.begin(), kOurPrefixes.end(),
                       [&](std::string_view p) { return u.starts_with(p); });
}

bool is_synonym(std::string_view name) {
    const std::string u = upper(name);
    return std::any_of(kSynonyms.begin(), kSynonyms.end(),
                       [&](const auto& synonym) { return u == synonym.first; });
}

bool is_not_ours(std::string_view name) {
    const std::string u = upper(name);
    return std::find(kNotOurs.begin(), kNotOurs.end(), u) != kNotOurs.end();
}

std::string warning_for(std::string_view name, bool in_dotenv) {
    std::string where = in_dotenv ? ".env key " : "environment variable ";
    std::string closest = closest_setting(name);
    std::string text = where + std::string(name) + " is not a setting of mysql-cdc";
    if (closest.empty()) return text + ": it is ignored (the settings: docs/CONFIGURATION.md)";
    if (same_ignoring_case(closest, name)) {
        return text + " (names are case-sensitive): did you mean " + closest + "?";
    }
    return text + ": did you mean " + closest + "?";
}

}  // namespace

std::span<const std::string_view> our_prefixes() { return kOurPrefixes; }

std::span<const std::string_view> not_our_names() { return kNotOurs; }

std::size_t name_distance(std::string_view a, std::string_view b) {
    // Three rows of the dynamic programme: i-2, i-1, i.
    std::vector<std::size_t> before(b.size() + 1), prev(b.size() + 1), cur(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        cur[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const bool same = upper(a[i - 1]) == upper(b[j - 1]);
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (same ? 0 : 1)});
            if (i > 1 && j > 1 && upper(a[i - 1]) == upper(b[j - 2]) &&
                upper(a[i - 2]) == upper(b[j - 1])) {
                cur[j] = std::min(cur[j], before[j - 2] + 1);
            }
        }
        std::swap(before, prev);
        std::swap(prev, cur);
    }
    return prev[b.size()];
}

std::string closest_setting(std::string_view name) {
    const std::vector<std::string_view> names = setting_names();
    for (std::string_view s : names) {
        if (same_ignoring_case(s, name)) return std::string(s);
    }
    const std::string u = upper(name);
    for (const auto& [synonym, id] : kSynonyms) {
        if (u == synonym) return std::string(setting(id).env);
    }
    std::string_view best;
    std::size_t best_distance = 3;  // at most 2 counts as close
    for (std::string_view s : names) {
        std::size_t d = name_distance(name, s);
        if (d < best_distance) {
            best = s;
            best_distance = d;
        }
    }
    if (!best.empty()) return std::string(best);
    // A name cut short (MYSQL_PASS), or one with a piece added (MYSQL_TABLE_LIST).
    for (std::string_view s : names) {
        const std::string us = upper(s);
        if (u.size() >= 5 && (us.starts_with(u) || u.starts_with(us))) return std::string(s);
    }
    return "";
}

std::vector<std::string> unknown_setting_warnings(const EnvMap& env, const NameSet& from_dotenv) {
    const std::vector<std::string_view> names = setting_names();
    std::vector<std::string> warnings;
    for (const auto& entry : env) {
        const std::string& name = entry.first;
        if (is_setting(name)) continue;
        const bool in_dotenv = from_dotenv.count(name) != 0;
        if (!in_dotenv) {
            if (is_not_ours(name)) continue;
            const bool near = is_synonym(name) ||
                              std::any_of(names.begin(), names.end(),
                                          [&](auto s) { return name_distance(name, s) <= 2; });
            if (!near && !has_our_prefix(name)) continue;
        }
        warnings.push_back(warning_for(name, in_dotenv));
    }
    return warnings;
}

}  // namespace cdc::config
