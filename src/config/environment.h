// The environment mysql-cdc is configured by: the process environment plus a `.env` file in the
// working directory, as the original connector (python-dotenv's load_dotenv) reads it. Real
// environment variables win over .env lines. This is the only place that reads `environ`; every
// other function takes an EnvMap, so tests inject their own.
//
//   Result<EnvMap> env = environment_from_process();   // environ + ./.env
//   Result<Config> config = loader.load(*env);
#pragma once

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <string_view>

#include "common/result.h"

namespace cdc::config {

using EnvMap = std::map<std::string, std::string, std::less<>>;
using NameSet = std::set<std::string, std::less<>>;

// Parses .env text: `KEY=VALUE` lines, optionally prefixed by `export `; blank lines and `#`
// comments; values unquoted (trimmed, ` #...` ends them), 'single-quoted' (literal) or
// "double-quoted" (\n \t \" \\ escapes). `${NAME}` and `${NAME:-default}` in unquoted and
// double-quoted values expand from `outer` first (the real environment wins, as in
// python-dotenv), then from earlier lines. A malformed line is an InvalidArgument error naming
// `source` and the line number, never echoing the line (it may hold a password).
Result<EnvMap> parse_dotenv(std::string_view text, std::string_view source,
                            const EnvMap& outer = {});

// Reads `path` if it exists (a missing file is an empty map, an unreadable one an error).
Result<EnvMap> read_dotenv_file(const std::filesystem::path& path, const EnvMap& outer = {});

// `outer` entries win over `dotenv` entries with the same name.
EnvMap merge_environment(const EnvMap& outer, const EnvMap& dotenv);

// The process environment (environ), merged over `dotenv_path` (default: ./.env). The keys
// the file sets go to `dotenv_keys` when given (for unknown_settings.h).
Result<EnvMap> environment_from_process(const std::filesystem::path& dotenv_path = ".env",
                                        NameSet* dotenv_keys = nullptr);

}  // namespace cdc::config
