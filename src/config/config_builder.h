// Internal to config/: turns the raw text of every setting (already resolved from flag, env or
// alt env) into a validated Config. ConfigLoader does the resolving; tests go through it.
#pragma once

#include <array>
#include <string>

#include "common/result.h"
#include "config/config.h"
#include "config/settings.h"

namespace cdc::config {

enum class ValueSource { Default, Environment, AltEnvironment, Flag };

struct RawValue {
    std::string text;  // "" when not given (empty values count as not given)
    ValueSource source = ValueSource::Default;
};

using RawValues = std::array<RawValue, kSettingCount>;

// Every problem found is one line of the error message (InvalidArgument). Problems of single
// values are reported together; checks across settings run only once every value parsed, so
// one mistake never shows up as several.
Result<Config> build_config(const RawValues& raw);

}  // namespace cdc::config
