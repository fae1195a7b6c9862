// ConfigLoader: registers one CLI flag per setting on a CLI::App (the daemon's top-level app, or
// a subcommand such as `check`), and after parsing builds the Config from flags > environment
// (incl. .env) > defaults.
//
//   CLI::App app{"mysql-cdc"};
//   config::ConfigLoader loader(app);        // adds --mysql-host, --mysql-table, ...
//   app.parse(argc, argv);
//   config::NameSet from_dotenv;
//   auto env = config::environment_from_process(".env", &from_dotenv);
//   if (!env) return fail(env.error());
//   Result<Config> config = loader.load(*env, from_dotenv);
//
// The loader must outlive app.parse(): the app writes flag values into it.
#pragma once

#include <array>
#include <string>

#include "common/result.h"
#include "config/config.h"
#include "config/environment.h"
#include "config/settings.h"

namespace CLI {
class App;
class Option;
}  // namespace CLI

namespace cdc::config {

class ConfigLoader {
public:
    explicit ConfigLoader(CLI::App& app);
    ConfigLoader(const ConfigLoader&) = delete;
    ConfigLoader& operator=(const ConfigLoader&) = delete;

    // Call after app.parse(). An environment value that is empty counts as unset. Names in
    // `env` that look like settings but are not (unknown_settings.h; every key of
    // `from_dotenv`, the .env file's) add a warning to Config::warnings, or a line to the error.
    Result<Config> load(const EnvMap& env, const NameSet& from_dotenv = {}) const;

private:
    std::array<std::string, kSettingCount> flag_values_;
    std::array<CLI::Option*, kSettingCount> options_{};
};

// The Config from the environment alone (no flags), e.g. for tests and tools.
Result<Config> load_config(const EnvMap& env, const NameSet& from_dotenv = {});

// The --help text of one setting: description, env name(s), default, required.
std::string flag_help(const SettingSpec& spec);

}  // namespace cdc::config
