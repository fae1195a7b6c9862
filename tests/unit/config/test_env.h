// Shared helpers for the config tests: the smallest environment the daemon accepts.
#pragma once

#include <string>
#include <utility>

#include "config/environment.h"

namespace cdc::config::testing {

inline EnvMap minimal_env() {
    return {{"MYSQL_HOST", "db"}, {"MYSQL_USER", "cdc"}, {"MYSQL_TABLE", "shop.orders"}};
}

inline EnvMap with(EnvMap env, const std::string& key, const std::string& value) {
    env[key] = value;
    return env;
}

}  // namespace cdc::config::testing
