#include "config/config_loader.h"

#include <CLI/CLI.hpp>

#include "config/config_builder.h"
#include "config/unknown_settings.h"

namespace cdc::config {
namespace {

std::string type_name(const SettingSpec& spec) {
    switch (spec.type) {
        case SettingType::String: return "TEXT";
        case SettingType::Secret: return "SECRET";
        case SettingType::Integer: return "INT";
        case SettingType::Size: return "SIZE";
        case SettingType::Boolean: return "";
        case SettingType::Choice: return std::string(spec.choices);
        case SettingType::Path: return "PATH";
        case SettingType::ExistingFile: return "FILE";
        case SettingType::TableList: return "TABLES";
    }
    return "TEXT";
}

// Flags > environment > alternative environment name; empty environment values count as unset.
RawValues resolve(const EnvMap& env, const std::array<std::string, kSettingCount>* flags,
                  const std::array<CLI::Option*, kSettingCount>* options) {
    RawValues raw;
    for (const SettingSpec& spec : all_settings()) {
        auto i = static_cast<std::size_t>(spec.id);
        if (options != nullptr && (*options)[i] != nullptr && (*options)[i]->count() > 0) {
            raw[i] = {(*flags)[i], ValueSource::Flag};
            continue;
        }
        auto it = env.find(spec.env);
        if (it != env.end() && !it->second.empty()) {
            raw[i] = {it->second, ValueSource::Environment};
            continue;
        }
        if (spec.alt_env.empty()) continue;
        it = env.find(spec.alt_env);
        if (it != env.end() && !it->second.empty()) raw[i] = {it->second, ValueSource::AltEnvironment};
    }
    return raw;
}

// The warnings about names that look like settings go first: they often explain the errors
// (MYSQL_TABEL given, so MYSQL_TABLE is missing), so an error keeps them too.
Result<Config> with_unknown_names(Result<Config> config, const EnvMap& env,
                                  const NameSet& from_dotenv) {
    std::vector<std::string> unknown = unknown_setting_warnings(env, from_dotenv);
    if (unknown.empty()) return config;
    if (!config) {
        std::string message = config.error().message;
        for (const std::string& w : unknown) message += "\n" + w;
        return make_error(config.error().code, std::move(message));
    }
    config->warnings.insert(config->warnings.begin(), unknown.begin(), unknown.end());
    return config;
}

}  // namespace

std::string flag_help(const SettingSpec& spec) {
    std::string help(spec.description);
    help += " [env: " + std::string(spec.env);
    if (!spec.alt_env.empty()) help += ", else " + std::string(spec.alt_env);
    help += "]";
    if (spec.required) help += " [required]";
    std::string def = default_display(spec);
    if (!def.empty()) help += " [default: " + def + "]";
    if (spec.type == SettingType::Boolean) help += " (--" + std::string(spec.flag) + "=false to negate)";
    return help;
}

ConfigLoader::ConfigLoader(CLI::App& app) {
    for (const SettingSpec& spec : all_settings()) {
        auto i = static_cast<std::size_t>(spec.id);
        std::string name = "--" + std::string(spec.flag);
        CLI::Option* opt = spec.type == SettingType::Boolean
                               ? app.add_flag(name, flag_values_[i], flag_help(spec))
                               : app.add_option(name, flag_values_[i], flag_help(spec));
        // Values are validated by load(), with the same messages as the environment's.
        opt->group(std::string(spec.group));
        if (spec.type != SettingType::Boolean) opt->type_name(type_name(spec));
        options_[i] = opt;
    }
}

Result<Config> ConfigLoader::load(const EnvMap& env, const NameSet& from_dotenv) const {
    return with_unknown_names(build_config(resolve(env, &flag_values_, &options_)), env,
                              from_dotenv);
}

Result<Config> load_config(const EnvMap& env, const NameSet& from_dotenv) {
    return with_unknown_names(build_config(resolve(env, nullptr, nullptr)), env, from_dotenv);
}

}  // namespace cdc::config
