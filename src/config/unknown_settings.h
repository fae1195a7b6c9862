// Configuration names that look like settings of mysql-cdc but are not: a typo (MYSQL_TABEL),
// the wrong case (mysql_host, OUTPUT for `output`), or a name of ours that does not exist
// (KAFKA_TOPIC). Each gets one warning naming the closest real setting; they never fail the
// start, since an unknown variable changes nothing.
//
//   NameSet from_dotenv;
//   auto env = environment_from_process(".env", &from_dotenv);
//   for (const std::string& w : unknown_setting_warnings(*env, from_dotenv)) log(w);
//
// What "looks like ours" means, for the process environment (which holds PATH, HOME, LANG and
// whatever else the shell or container sets):
//   - a name that starts with one of our prefixes (MYSQL_, KAFKA_, SNAPSHOT_, STATE_, OUTPUT,
//     FLUSH_, LOG_, METRICS_, QUIX__; case-insensitive) and is not a setting, or
//   - a name within Damerau-Levenshtein distance 2 of a setting's name, case-insensitive;
//   except the well-known variables of other programs in kNotOurs (MYSQL_PWD, KAFKA_HOME, ...).
// A `.env` file is read only by mysql-cdc, so every key in it that is not a setting is reported.
// The settings are those of the table (settings.h), primary and alternative names.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "config/environment.h"

namespace cdc::config {

// The prefixes that mark a name in the process environment as meant for us.
std::span<const std::string_view> our_prefixes();

// Names that are somebody else's even though they start like ours (documented in
// docs/CONFIGURATION.md): the MySQL/MariaDB clients' and server images' variables and Kafka's
// shell scripts'.
std::span<const std::string_view> not_our_names();

// Optimal string alignment distance (Damerau-Levenshtein with adjacent transpositions), ASCII
// case-insensitive.
std::size_t name_distance(std::string_view a, std::string_view b);

// The setting name (env or alternative env) closest to `name`, or "" when nothing is close:
// the same name in another case, else the smallest distance, else a setting that `name`
// begins (KAFKA_TOPIC: KAFKA_TOPIC_TEMPLATE) or a known synonym (KAFKA_TOPIC: output).
std::string closest_setting(std::string_view name);

// One warning per name in `env` that looks like ours but is not a setting; keys listed in
// `from_dotenv` came from the .env file and are all checked. In name order.
std::vector<std::string> unknown_setting_warnings(const EnvMap& env, const NameSet& from_dotenv);

}  // namespace cdc::config
