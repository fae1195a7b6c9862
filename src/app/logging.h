// Logging set-up: spdlog to stderr, as text or as one JSON object per line (LOG_FORMAT=json),
// at LOG_LEVEL. Call once at start; then use spdlog::info(...) etc. anywhere in app/.
#pragma once

#include "config/config.h"

namespace cdc::app {

void setup_logging(config::LogLevel level, config::LogFormat format);

}  // namespace cdc::app
